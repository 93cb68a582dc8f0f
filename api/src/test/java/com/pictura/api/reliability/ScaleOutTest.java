package com.pictura.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.pictura.api.reliability.Load.Account;
import org.junit.jupiter.api.Test;

/**
 * Three nodes, separate processes on one PostgreSQL, with load on shared wallets spread over all three; one node
 * is killed under load. The survivors take over its event processors' segments and settle its holds; nothing is
 * lost or settled twice and no wallet is overdrawn. Seeded like {@link CrashTest}.
 */
class ScaleOutTest {

    private static final long SEED = Long.getLong("pictura.reliability.seed", 42);
    private static final int REQUESTS = Integer.getInteger("pictura.reliability.requests", 120);

    @Test
    void aNodeKilledUnderLoadLeavesNothingUnsettledOrSettledTwice() throws Exception {
        ScratchDatabase db = ScratchDatabase.create("scaleout");
        LedgerAudit ledger = new LedgerAudit(db.jdbc());
        // The first node creates the schema; the other two then boot side by side.
        List<AppProcess> nodes = new ArrayList<>();
        nodes.add(AppProcess.start("scaleout-1", db.jdbcUrl(), AppProcess.SHORT_HOLDS));
        try {
            nodes.add(AppProcess.launch("scaleout-2", db.jdbcUrl(), AppProcess.SHORT_HOLDS));
            nodes.add(AppProcess.launch("scaleout-3", db.jdbcUrl(), AppProcess.SHORT_HOLDS));
            nodes.get(1).awaitHealthy(Duration.ofSeconds(180));
            nodes.get(2).awaitHealthy(Duration.ofSeconds(180));
            // Fewer wallets than calls: every wallet is used on all three nodes at once.
            List<Account> accounts = Load.accounts(nodes.get(0).http(), 6);
            List<String> wallets = accounts.stream().map(Account::walletId).toList();
            Load load = new Load(SEED);
            List<Integer> ports = nodes.stream().map(AppProcess::port).toList();
            var firstWave = load.fire(REQUESTS, accounts, i -> ports.get(i % 3), 60);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> ledger.audit(wallets).holds().size() >= REQUESTS / 3);
            AppProcess.sleep(Duration.ofMillis(load.randomDelayMillis(0, 1500)));
            AppProcess victim = nodes.get(2);
            victim.kill();
            Instant killedAt = Instant.now();
            int openAtKill = ledger.audit(wallets).open().size();
            // The survivors go on serving the same wallets while they take over.
            var secondWave = load.fire(REQUESTS / 2, accounts, i -> ports.get(i % 2), 30);
            firstWave.get(120, TimeUnit.SECONDS);
            secondWave.get(120, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(ledger.audit(wallets).open()).as("holds not yet settled").isEmpty());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(ledger.audit(wallets).mismatches()).as("balances read model against events").isEmpty();
                assertThat(db.jdbc().sql("select count(*) from token_entry where owner like ?")
                        .param(victim.pid() + "@%").query(Long.class).single())
                        .as("segments still claimed by the killed node").isZero();
            });
            LedgerAudit.Report report = ledger.audit(wallets);
            assertThat(report.settledTwice()).as("holds settled twice").isEmpty();
            assertThat(db.jdbc().sql("""
                    select count(*) from ledger_lines where wallet_id in (:ids) and promotional_after + paid_after < 0""")
                    .param("ids", wallets).query(Long.class).single()).as("ledger lines below zero").isZero();
            assertThat(load.served()).as("calls served").isPositive();
            assertThat(new SecretsScan(Load.secrets(accounts)).inTables(db.jdbc())).as("secrets or prompts in the database")
                    .isEmpty();
            assertThat(new SecretsScan(Load.secrets(accounts)).inLogs(nodes.stream().map(AppProcess::log).toList()))
                    .as("secrets or prompts in the logs").isEmpty();
            Summary.write(report.summary("scale-out", SEED, REQUESTS + REQUESTS / 2) + " nodes=3 killed=1"
                    + " open-at-kill=" + openAtKill + " served=" + load.served()
                    + " settled-by=" + Duration.between(killedAt, report.lastSettlement()).toSeconds() + "s-after-kill"
                    + " outcomes=" + load.outcomes());
        } finally {
            nodes.forEach(AppProcess::close);
        }
    }
}
