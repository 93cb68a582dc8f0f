package com.pictura.api.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the event store holds: JSON, with who did it and the correlation id, and never a secret. */
class EventMetadataTest extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void eventsAreJsonWithActorAndCorrelationIdInTheirMetadata() {
        Person eve = signUpUnverified("eve");

        List<StoredEvent> events = events("aggregate_identifier in (?, ?)", eve.accountId(),
                "wal_" + eve.accountId().substring(5));

        assertThat(events).extracting(StoredEvent::type).containsExactlyInAnyOrder(
                "com.pictura.domain.account.AccountEvent$AccountRegistered",
                "com.pictura.domain.account.AccountEvent$TermsAccepted",
                "com.pictura.domain.wallet.WalletEvent$WalletOpened",
                "com.pictura.domain.wallet.WalletEvent$CreditsGranted");
        // The account is registered (and the terms accepted) by its owner; the wallet is opened and funded by the
        // system.
        assertThat(events).allSatisfy(event -> assertThat(event.metadata().get("actor").asString())
                .isEqualTo(event.type().contains("AccountEvent") ? "account:" + eve.accountId() : "system:pictura"));
        // Each event names the command that caused it: one for the account's two events, one shared by the
        // wallet's two; both commands began the request's work, so each is its own trace.
        assertThat(events).filteredOn(e -> e.type().contains("AccountEvent"))
                .extracting(e -> e.metadata().get("correlationId").asString()).hasSize(2).containsOnly(
                        events.stream().filter(e -> e.type().endsWith("AccountRegistered")).findFirst().orElseThrow()
                                .metadata().get("correlationId").asString());
        List<String> walletCorrelations = events.stream().filter(e -> e.type().contains("WalletEvent"))
                .map(e -> e.metadata().get("correlationId").asString()).distinct().toList();
        String accountCorrelation = events.stream().filter(e -> e.type().endsWith("AccountRegistered")).findFirst()
                .orElseThrow().metadata().get("correlationId").asString();
        assertThat(walletCorrelations).hasSize(1).doesNotContain(accountCorrelation);
        assertThat(events).allSatisfy(event -> assertThat(event.metadata().get("traceId").asString())
                .isEqualTo(event.metadata().get("correlationId").asString()));
        assertThat(events).filteredOn(e -> e.type().endsWith("AccountRegistered")).singleElement()
                .satisfies(e -> {
                    assertThat(e.metadata().get("actor").asString()).isEqualTo("account:" + eve.accountId());
                    assertThat(e.payload().get("email").asString()).isEqualTo(eve.email());
                });
        assertThat(events).filteredOn(e -> e.type().endsWith("CreditsGranted")).singleElement()
                .satisfies(e -> assertThat(e.payload().get("amount").asLong()).isEqualTo(25_000_000L));
        // The events of one sign-up are linked by the id of the request that caused them.
        assertThat(events).extracting(e -> e.metadata().get("requestId").asString()).containsOnly(
                events.get(0).metadata().get("requestId").asString()).first().asString().startsWith("req_");
    }

    @Test
    void noPasswordHashOrKeySecretAppearsInAnyEvent() {
        Person mallory = signUp("mallory");
        var issued = http.post("/api/keys", mallory.session(), Map.of("name", "ci"));
        assertThat(issued.status()).isEqualTo(201);
        String secret = issued.json().get("key").asString();
        String passwordHash = jdbc.sql("select password_hash from account_credentials where account_id = ?")
                .param(mallory.accountId()).query(String.class).single();

        List<String> stored = jdbc.sql("select convert_from(payload, 'UTF8') || convert_from(coalesce(meta_data, ''), 'UTF8') "
                + "from domain_event_entry").query(String.class).list();

        assertThat(stored).isNotEmpty().noneMatch(text -> text.contains(secret) || text.contains(passwordHash)
                || text.contains(mallory.password()) || text.contains(mallory.session()));
    }

    private record StoredEvent(String type, JsonNode payload, JsonNode metadata) {
    }

    private List<StoredEvent> events(String where, Object... params) {
        return jdbc.sql("select payload_type, payload, meta_data from domain_event_entry where " + where)
                .params(params)
                .query((rs, i) -> new StoredEvent(rs.getString(1),
                        JSON.readTree(new String(rs.getBytes(2), StandardCharsets.UTF_8)),
                        JSON.readTree(new String(rs.getBytes(3), StandardCharsets.UTF_8))))
                .list();
    }
}
