package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.pictura.PicturaApplication;
import com.pictura.api.Http;
import com.pictura.api.database.EmbeddedPostgres;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A hold nobody settles (the node that held the call stopped) is released by the hold sweeper once the
 * application runs again: the open hold is durable in the ledger and its read model, not in the stopped node.
 */
class HoldsAfterRestartTest {

    @TempDir
    Path temp;

    @Test
    void holdsOpenWhenTheApplicationStopsAreReleasedByTheSweeperAfterItStartsAgain() {
        Path dataDir = temp.resolve("pg-data");
        Map<String, Object> env = Map.of("PICTURA_EMBEDDED_POSTGRES_DATA_DIR", dataDir.toString());
        String walletId;
        ReservationId reservation = ReservationId.generate();
        try {
            // The first node never sweeps: whatever releases the hold runs after the restart.
            try (var app = start(env, "PT1H")) {
                var created = http(app).post("/api/accounts", null,
                        Map.of("email", "restart@example.com", "password", "correct horse battery staple",
                                "ageConfirmed", true, "termsAccepted", true));
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                walletId = WalletId.of(new AccountId(created.json().get("id").asString())).value();
                // What the gateway does before a call; then the node stops before any outcome is recorded.
                app.getBean(CommandGateway.class).sendAndWait(new ReserveCredits(new WalletId(walletId), reservation,
                        Credits.of(3), "key_restart", "llama-3.1-8b-instruct", Instant.now().plusSeconds(2),
                        Actor.account("acct_restart")));
                // The hold is known to the sweeper's read model before the stop, not only after the restart.
                JdbcClient jdbc = app.getBean(JdbcClient.class);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(openHold(jdbc, reservation)).isEqualTo(1));
                // Expired by now, and still open when the node stops.
                await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(
                        jdbc.sql("select expires_at from open_holds where reservation_id = ?")
                                .param(reservation.value()).query(java.sql.Timestamp.class).single().toInstant()));
                assertThat(releases(jdbc, walletId)).isZero();
            }
            try (var app = start(env, "PT1S")) {
                JdbcClient jdbc = app.getBean(JdbcClient.class);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(releases(jdbc, walletId)).isEqualTo(1));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(openHold(jdbc, reservation)).isZero());
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                    assertThat(jdbc.sql("select description from ledger_lines where wallet_id = ? and kind = 'release'")
                            .param(walletId).query(String.class).list()).containsExactly("expired");
                    assertThat(jdbc.sql("select promotional + paid from wallet_balances where wallet_id = ?")
                            .param(walletId).query(Long.class).single()).isEqualTo(Credits.of(25).micros());
                });
                // Several sweeps later the hold is still released once, with the reason of an expiry.
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                        .until(() -> releases(jdbc, walletId) == 1);
                assertThat(jdbc.sql("select convert_from(payload, 'UTF8')::jsonb ->> 'reason' from domain_event_entry "
                                + "where aggregate_identifier = ? and payload_type like '%ReservationReleased'")
                        .param(walletId).query(String.class).single()).isEqualTo("expired");
            }
        } finally {
            EmbeddedPostgres.stop(dataDir);
        }
    }

    /** Releases in the event store itself, not a read model of it. */
    private static long releases(JdbcClient jdbc, String walletId) {
        return jdbc.sql("select count(*) from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%ReservationReleased'").param(walletId).query(Long.class).single();
    }

    private static long openHold(JdbcClient jdbc, ReservationId reservation) {
        return jdbc.sql("select count(*) from open_holds where reservation_id = ?").param(reservation.value())
                .query(Long.class).single();
    }

    private static ConfigurableApplicationContext start(Map<String, Object> variables, String sweepInterval) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-variables", variables));
        return new SpringApplicationBuilder(PicturaApplication.class)
                .environment(environment)
                // Arguments, not .properties(): default properties lose to application.yml (server.port=8080).
                .run("--server.port=0", "--pictura.embedded-postgres.durable=false",
                        "--pictura.security.bcrypt-strength=4", "--spring.main.banner-mode=off",
                        "--pictura.gateway.sweep-interval=" + sweepInterval);
    }

    private static Http http(ConfigurableApplicationContext app) {
        return new Http(((WebServerApplicationContext) app).getWebServer().getPort());
    }
}
