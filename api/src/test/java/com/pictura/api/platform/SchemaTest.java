package com.pictura.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;

/** Axon's storage on PostgreSQL the way STACK.md says it must be: BYTEA, no large objects, dense global index. */
class SchemaTest extends IntegrationTest {

    @Test
    void axonsSerializedColumnsAreByteaAndNoColumnIsOid() {
        List<String> serialized = jdbc.sql("""
                        select table_name || '.' || column_name || ':' || data_type from information_schema.columns
                        where table_schema = 'public' and (table_name, column_name) in (
                          ('domain_event_entry', 'payload'), ('domain_event_entry', 'meta_data'),
                          ('snapshot_event_entry', 'payload'), ('snapshot_event_entry', 'meta_data'),
                          ('token_entry', 'token'), ('saga_entry', 'serialized_saga'),
                          ('dead_letter_entry', 'payload'), ('dead_letter_entry', 'meta_data'),
                          ('dead_letter_entry', 'token'), ('dead_letter_entry', 'diagnostics'))
                        order by 1""")
                .query(String.class).list();

        assertThat(serialized).hasSize(10).allSatisfy(column -> assertThat(column).endsWith(":bytea"));
        assertThat(jdbc.sql("select count(*) from information_schema.columns where table_schema = 'public' "
                + "and udt_name = 'oid'").query(Long.class).single()).isZero();
    }

    @Test
    void storingEventsCreatesNoLargeObjects() {
        signUp("no-large-objects");

        assertThat(jdbc.sql("select count(*) from domain_event_entry").query(Long.class).single()).isPositive();
        // Streaming processors store their tokens as they catch up with the new events.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                jdbc.sql("select count(*) from token_entry where token is not null").query(Long.class).single())
                .isPositive());
        assertThat(jdbc.sql("select count(*) from pg_largeobject_metadata").query(Long.class).single()).isZero();
    }

    @Test
    void globalIndexComesFromItsOwnSequenceWithoutGaps() {
        long before = jdbc.sql("select coalesce(max(global_index), 0) from domain_event_entry").query(Long.class).single();
        signUp("dense-index-1");
        signUp("dense-index-2");

        assertThat(jdbc.sql("select increment_by from pg_sequences where sequencename = "
                + "'domain_event_entry_global_index_seq'").query(Long.class).single()).isEqualTo(1L);
        List<Long> indexes = jdbc.sql("select global_index from domain_event_entry where global_index > ? "
                + "order by global_index").param(before).query(Long.class).list();
        // Two sign-ups store five events each (account registered, terms accepted, wallet opened, credits granted,
        // and email verified once the person opened the link).
        assertThat(indexes).hasSize(10);
        assertThat(indexes.get(9) - indexes.get(0)).isEqualTo(9L);
    }

    @Test
    void flywayOwnsTheSchema() throws Exception {
        // Every migration shipped, each applied once and successfully, in order; nothing else.
        List<String> shipped = new java.util.ArrayList<>();
        for (var script : new org.springframework.core.io.support.PathMatchingResourcePatternResolver()
                .getResources("classpath:db/migration/V*__*.sql")) {
            shipped.add(script.getFilename().substring(1, script.getFilename().indexOf("__")));
        }
        shipped.sort(java.util.Comparator.comparingInt(Integer::parseInt));
        assertThat(shipped).as("migrations shipped").startsWith("1");
        assertThat(jdbc.sql("select version from flyway_schema_history where success order by installed_rank")
                .query(String.class).list()).isEqualTo(shipped);
        assertThat(jdbc.sql("select count(*) from flyway_schema_history where not success").query(Long.class)
                .single()).isZero();
        assertThat(jdbc.sql("select to_regclass('open_holds') is not null").query(Boolean.class).single())
                .isTrue();
    }
}
