package com.pictura.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.pictura.api.reliability.Load.Account;
import org.junit.jupiter.api.Test;

/**
 * The application as its own process, killed with {@code SIGKILL} while calls are in flight (streamed and not),
 * then started again: every hold is settled by its deadline, none twice, and every balance equals the one
 * recomputed from the events. Repeat a run with {@code -Dpictura.reliability.seed=N}; make it heavier with
 * {@code -Dpictura.reliability.requests=N}.
 */
class CrashTest {

    private static final long SEED = Long.getLong("pictura.reliability.seed", 42);
    private static final int REQUESTS = Integer.getInteger("pictura.reliability.requests", 100);

    @Test
    void aNodeKilledWithCallsInFlightLosesNoCreditAndSettlesNothingTwice() throws Exception {
        ScratchDatabase db = ScratchDatabase.create("crash");
        LedgerAudit ledger = new LedgerAudit(db.jdbc());
        List<java.nio.file.Path> logs = new java.util.ArrayList<>();
        List<Account> accounts;
        Load load = new Load(SEED);
        CompletableFuture<Void> calls;
        Instant killedAt;
        LedgerAudit.Report atKill;
        try (AppProcess node = AppProcess.start("crash-before", db.jdbcUrl(), AppProcess.SHORT_HOLDS)) {
            accounts = Load.accounts(node.http(), 10);
            logs.add(node.log());
            List<String> wallets = accounts.stream().map(Account::walletId).toList();
            calls = load.fire(REQUESTS, accounts, i -> node.port(), 60);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> ledger.audit(wallets).charged() >= REQUESTS / 10);
            // Some calls charged, the others still streaming: a seeded moment in between.
            AppProcess.sleep(Duration.ofMillis(load.randomDelayMillis(0, 500)));
            node.kill();
            killedAt = Instant.now();
            atKill = ledger.audit(wallets);
        }
        calls.get(120, TimeUnit.SECONDS);
        assertThat(atKill.open()).as("holds open when the node died: else this run proves nothing").isNotEmpty();

        List<String> wallets = accounts.stream().map(Account::walletId).toList();
        try (AppProcess restarted = AppProcess.start("crash-after", db.jdbcUrl(), AppProcess.SHORT_HOLDS)) {
            logs.add(restarted.log());
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(ledger.audit(wallets).open()).as("holds not yet settled").isEmpty());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(ledger.audit(wallets).mismatches()).as("balances read model against events").isEmpty());
        }
        LedgerAudit.Report after = ledger.audit(wallets);
        assertThat(new SecretsScan(Load.secrets(accounts)).inTables(db.jdbc())).as("secrets or prompts in the database")
                .isEmpty();
        assertThat(new SecretsScan(Load.secrets(accounts)).inLogs(logs)).as("secrets or prompts in the logs").isEmpty();
        assertThat(after.settledTwice()).as("holds settled twice").isEmpty();
        assertThat(after.latestSettlementAfterExpiry()).as("latest settlement after its hold's expiry")
                .isLessThan(Duration.ofSeconds(10));
        Summary.write(after.summary("crash", SEED, REQUESTS) + " open-at-kill=" + atKill.open().size()
                + " settled-by=" + Duration.between(killedAt, after.lastSettlement()).toSeconds() + "s-after-kill"
                + " outcomes=" + load.outcomes());
    }
}
