package com.pictura.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.pictura.api.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every number the dashboard shows is a projection of the ledger: reset each replayable read model, rebuild it
 * from the first event, and it holds exactly the rows it held before, row for row, column for column. On a node
 * of its own, so that nothing else writes while the read models are compared.
 */
class ReplayEqualityTest {

    /** The tables of the replayable read models, each emptied by its reset handler. */
    private static final List<String> READ_MODELS = List.of("wallet_balances", "open_holds", "ledger_lines",
            "usage_calls", "staff_actions");
    private static final String IMAGE = Http.json(Map.of("model", "flux-schnell", "prompt", "a lighthouse",
            "size", "256x256"));

    @Test
    void replayingEveryReadModelReproducesTheSameRows() {
        ScratchDatabase db = ScratchDatabase.create("replay_equal");
        try (AppProcess node = AppProcess.start("replay-equal", db.jdbcUrl(), AppProcess.SHORT_HOLDS)) {
            Http http = node.http();
            String admin = Load.firstAdmin(http);
            List<Load.Account> accounts = Load.accounts(http, 3);
            for (Load.Account account : accounts) {
                work(http, admin, account);
            }
            JsonNode replayable = http.get("/audit/replays", admin).json();
            assertThat(replayable.size()).as("balances, ledger lines, usage, staff actions").isGreaterThanOrEqualTo(4);
            awaitCaughtUp(http, admin);
            Map<String, List<String>> before = rows(db);
            assertThat(before.get("ledger_lines")).isNotEmpty();
            assertThat(before.get("usage_calls")).isNotEmpty();
            assertThat(before.get("staff_actions")).isNotEmpty();

            for (JsonNode processor : replayable) {
                String name = processor.get("processor").asString();
                var started = http.post("/audit/replays/" + name, admin, Map.of("reason", "replay equality check"));
                assertThat(started.status()).as(started.body()).isEqualTo(202);
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
                        http.get("/audit/replays/" + name, admin).json().get("state").asString().equals("done"));
            }
            awaitCaughtUp(http, admin);

            Map<String, List<String>> after = rows(db);
            for (String table : READ_MODELS) {
                assertThat(after.get(table)).as(table + " after the replay").containsExactlyElementsOf(before.get(table));
            }
        }
    }

    /** Calls that succeed, stream, fail and make images; a staff adjustment and a refund; a revoked key. */
    private static void work(Http http, String admin, Load.Account account) {
        for (String content : List.of("Hello", "Hi #sim:error=503", "Tell me more")) {
            http.post("/v1/chat/completions", account.key(), Map.of("model", Load.MODEL, "max_tokens", 50,
                    "messages", List.of(Map.of("role", "user", "content", content))));
        }
        http.post("/v1/chat/completions", account.key(), Map.of("model", Load.MODEL, "max_tokens", 50, "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "Stream it"))));
        assertThat(http.post("/v1/images/generations", account.key(), IMAGE).status()).isEqualTo(200);
        String accountId = "acct_" + account.walletId().substring("wal_".length());
        var adjusted = http.post("/admin/accounts/" + accountId + "/adjustments", admin,
                Map.of("amount", "3", "reason", "goodwill", "ticket", "T-7"));
        assertThat(adjusted.status()).as(adjusted.body()).isBetween(200, 202);
        String reservation = await().atMost(Duration.ofSeconds(20)).until(() -> charged(http, admin, accountId),
                id -> id != null);
        var refunded = http.post("/admin/accounts/" + accountId + "/refunds", admin,
                Map.of("reservationId", reservation, "amount", "0.0005", "reason", "slow answer"));
        assertThat(refunded.status()).as(refunded.body()).isEqualTo(201);
    }

    private static String charged(Http http, String admin, String accountId) {
        JsonNode events = http.get("/audit/accounts/" + accountId + "/events?type=UsageCharged", admin).json();
        return events.isArray() && !events.isEmpty() ? events.at("/0/payload/reservationId").asString() : null;
    }

    /** Waits until every read model has processed the whole event store. */
    private static void awaitCaughtUp(Http http, String admin) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode all = http.get("/audit/replays", admin).json();
            for (JsonNode p : all) {
                if (p.get("position").asLong() < p.get("head").asLong()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Every row of every read model, as JSON text, in a fixed order. */
    private static Map<String, List<String>> rows(ScratchDatabase db) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String table : READ_MODELS) {
            rows.put(table, db.jdbc().sql("select to_jsonb(t)::text as r from " + table + " t order by r")
                    .query(String.class).list());
        }
        return rows;
    }
}
