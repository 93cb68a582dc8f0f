package com.pictura.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.pictura.api.Http;
import com.pictura.api.reliability.Load.Account;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL gone for 10 seconds under load (every connection reset, new ones refused): calls fail cleanly with
 * 503 in OpenAI's error shape, nothing is half-written, no outcome is lost, and the node recovers by itself once
 * the database is back.
 */
class DatabaseOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(10);

    enum Phase { BEFORE, DURING, AFTER }

    @Test
    void aTenSecondOutageFailsCallsCleanlyAndLosesNothing() throws Exception {
        ScratchDatabase db = ScratchDatabase.create("outage");
        LedgerAudit ledger = new LedgerAudit(db.jdbc());
        try (CuttableProxy proxy = new CuttableProxy(db.port());
             AppProcess node = AppProcess.start("outage", db.jdbcUrlThrough(proxy.port()), AppProcess.SHORT_HOLDS)) {
            List<Account> accounts = Load.accounts(node.http(), 4);
            List<String> wallets = accounts.stream().map(Account::walletId).toList();
            Map<String, Integer> answers = new ConcurrentHashMap<>();
            List<String> unclean = java.util.Collections.synchronizedList(new ArrayList<>());
            Phase[] phase = {Phase.BEFORE};
            ExecutorService clients = Executors.newFixedThreadPool(accounts.size());
            for (Account account : accounts) {
                clients.submit(() -> {
                    Http http = node.http();
                    while (!Thread.currentThread().isInterrupted()) {
                        Phase started = phase[0];
                        Http.Response response;
                        try {
                            response = http.post("/v1/chat/completions", account.key(), Map.of("model", Load.MODEL,
                                    "max_tokens", 200, "messages", List.of(Map.of("role", "user",
                                            "content", Load.PROMPT + " #sim:len=5"))));
                        } catch (RuntimeException e) {
                            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                                return null; // the test is done with the clients
                            }
                            unclean.add(started + ": no answer (" + e + ")");
                            continue;
                        }
                        Phase ended = phase[0];
                        answers.merge(started + "→" + ended + " " + response.status(), 1, Integer::sum);
                        boolean clean = response.status() == 200 || response.status() == 503
                                && response.body().contains("\"error\"") && response.header("Retry-After") != null;
                        if (!clean) {
                            unclean.add(started + "→" + ended + " " + response.status() + " " + response.body());
                        }
                    }
                    return null;
                });
            }
            AppProcess.sleep(Duration.ofSeconds(5));
            phase[0] = Phase.DURING;
            proxy.cut();
            AppProcess.sleep(OUTAGE);
            proxy.restore();
            phase[0] = Phase.AFTER;
            // Recovery by itself: calls succeed again within a few seconds of the database's return.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> answers.getOrDefault("AFTER→AFTER 200", 0) >= 20);
            clients.shutdownNow();
            clients.awaitTermination(60, TimeUnit.SECONDS);

            assertThat(unclean).as("answers other than 200 or a 503 in OpenAI's shape with Retry-After").isEmpty();
            assertThat(answers.getOrDefault("DURING→DURING 503", 0)).as("calls refused during the outage").isPositive();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(ledger.audit(wallets).open()).as("holds not yet settled").isEmpty());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(ledger.audit(wallets).mismatches()).as("balances read model against events").isEmpty());
            LedgerAudit.Report report = ledger.audit(wallets);
            assertThat(report.settledTwice()).as("holds settled twice").isEmpty();
            long requests = answers.values().stream().mapToLong(Integer::longValue).sum();
            Summary.write(report.summary("db-outage", 0, requests) + " outage=" + OUTAGE.toSeconds() + "s answers="
                    + new TreeMap<>(answers));
        }
    }
}
