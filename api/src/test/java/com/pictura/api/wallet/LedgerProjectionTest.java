package com.pictura.api.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.pictura.api.IntegrationTest;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletBalance;
import com.pictura.domain.wallet.WalletCommand.AdjustCredits;
import com.pictura.domain.wallet.WalletCommand.CommitCharge;
import com.pictura.domain.wallet.WalletCommand.PurchaseCredits;
import com.pictura.domain.wallet.WalletCommand.ReleaseReservation;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletCommand.ReversePurchase;
import com.pictura.domain.wallet.WalletId;
import com.pictura.projections.wallet.BalanceProjection;
import com.pictura.projections.wallet.LedgerLinesProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The ledger's read models: every movement with the balance after it, and the same result after a replay. */
class LedgerProjectionTest extends IntegrationTest {

    @Autowired
    CommandGateway commands;

    @Autowired
    EventProcessingConfiguration processors;

    @Test
    void everyMovementIsALineWithTheBalanceAfterIt() {
        Person ann = signUp("ledger");
        WalletId wallet = new WalletId("wal_" + ann.accountId().substring(5));
        WalletBalance last = moveCredits(wallet);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var ledger = http.get("/api/ledger?page=0&size=50", ann.session()).json();
            assertThat(ledger.get("total").asLong()).isEqualTo(9);
            assertThat(ledger.at("/lines/0/kind").asString()).isEqualTo("reversal");
            assertThat(ledger.at("/lines/0/availableAfter").asString()).isEqualTo(last.available().toString());
            assertThat(ledger.at("/lines/8/kind").asString()).isEqualTo("grant");
            assertThat(ledger.at("/lines/8/availableAfter").asString()).isEqualTo("25.000000");
        });
        // The balance is another processor's read model than the ledger lines: it may lag them.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var me = http.get("/api/me", ann.session()).json();
            assertThat(me.at("/balance/available").asString()).isEqualTo(last.available().toString());
            assertThat(me.at("/balance/paid").asString()).isEqualTo(last.paid().toString());
            // The last reservation is still open: its credits are held, not spent.
            assertThat(me.at("/balance/reserved").asString()).isEqualTo("1.000000");
        });
    }

    @Test
    void aChargeDecidedInTimeButCommittedAfterTheExpiryIsALedgerLine() {
        Person cleo = signUp("late");
        WalletId wallet = new WalletId("wal_" + cleo.accountId().substring(5));
        Instant expiresAt = Instant.now().plusSeconds(600);
        ReservationId hold = ReservationId.generate();
        commands.sendAndWait(new ReserveCredits(wallet, hold, Credits.of(5), "key_x", "sdxl", expiresAt,
                Actor.SYSTEM));
        commands.sendAndWait(new ReleaseReservation(wallet, hold, ReleaseReservation.EXPIRED, Actor.SYSTEM));
        WalletBalance last = commands.sendAndWait(new CommitCharge(wallet, hold, Credits.of(2),
                new Usage(0, 0, 1, 900), expiresAt.minusSeconds(1), Actor.SYSTEM));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var ledger = http.get("/api/ledger?page=0&size=50", cleo.session()).json();
            assertThat(ledger.get("total").asLong()).isEqualTo(4);
            assertThat(ledger.at("/lines/0/kind").asString()).isEqualTo("charge");
            assertThat(ledger.at("/lines/0/reference").asString()).isEqualTo(hold.value());
            assertThat(ledger.at("/lines/0/amount").asString()).isEqualTo("-2.000000");
            assertThat(ledger.at("/lines/0/reservedChange").asString()).isEqualTo("0.000000");
            assertThat(ledger.at("/lines/0/availableAfter").asString()).isEqualTo("23.000000");
        });
        assertThat(last.available()).isEqualTo(Credits.of(23));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                http.get("/api/me", cleo.session()).json().at("/balance/available").asString()).isEqualTo("23.000000"));
    }

    @Test
    void replayingTheReadModelsFromTheEventStoreRebuildsThemExactly() {
        Person ben = signUp("replay");
        String wallet = "wal_" + ben.accountId().substring(5);
        moveCredits(new WalletId(wallet));
        await().atMost(Duration.ofSeconds(10)).until(() -> projected(wallet));
        List<Map<String, Object>> balancesBefore = rows("wallet_balances", wallet, "wallet_id");
        List<Map<String, Object>> ledgerBefore = rows("ledger_lines", wallet, "sequence_number");
        List<Map<String, Object>> holdsBefore = rows("open_holds", wallet, "reservation_id");
        assertThat(balancesBefore).hasSize(1);
        assertThat(ledgerBefore).hasSize(9);
        assertThat(holdsBefore).hasSize(1);

        // Damage all three read models: a replay that skipped what it had applied before would leave this as it is.
        jdbc.sql("update wallet_balances set promotional = promotional + 1, updated_at = now() where wallet_id = ?")
                .param(wallet).update();
        jdbc.sql("delete from ledger_lines where wallet_id = ? and sequence_number = 5").param(wallet).update();
        jdbc.sql("update ledger_lines set amount = amount - 1, description = 'edited' "
                + "where wallet_id = ? and sequence_number = 7").param(wallet).update();
        jdbc.sql("delete from open_holds where wallet_id = ?").param(wallet).update();

        StreamingEventProcessor balances = stopAndReset(BalanceProjection.GROUP);
        StreamingEventProcessor ledger = stopAndReset(LedgerLinesProjection.GROUP);
        try {
            // The reset handlers ran: each read model is empty before the replay writes a single row.
            assertThat(count("wallet_balances")).isZero();
            assertThat(count("open_holds")).isZero();
            assertThat(count("ledger_lines")).isZero();
        } finally {
            // Running again whatever the outcome: the other tests of this JVM share these processors.
            balances.start();
            ledger.start();
        }

        // Every column comes back as the events say, timestamps included.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(rows("wallet_balances", wallet, "wallet_id")).isEqualTo(balancesBefore);
            assertThat(rows("ledger_lines", wallet, "sequence_number")).isEqualTo(ledgerBefore);
            assertThat(rows("open_holds", wallet, "reservation_id")).isEqualTo(holdsBefore);
        });
    }

    /** Nine movements on top of the sign-up grant, ending with a reversal that drives the balance negative. */
    private WalletBalance moveCredits(WalletId wallet) {
        Actor system = Actor.SYSTEM;
        Instant later = Instant.now().plusSeconds(600);
        commands.sendAndWait(new PurchaseCredits(wallet, "cs_" + wallet.value(), Credits.of(500), 500, "usd", system));
        ReservationId charged = ReservationId.generate();
        commands.sendAndWait(new ReserveCredits(wallet, charged, Credits.of(40), "key_x", "sdxl", later, system));
        commands.sendAndWait(new CommitCharge(wallet, charged, Credits.parse("12.5"), new Usage(0, 0, 1, 900),
                Instant.now(), system));
        ReservationId released = ReservationId.generate();
        commands.sendAndWait(new ReserveCredits(wallet, released, Credits.of(3), "key_x", "sdxl", later, system));
        commands.sendAndWait(new ReleaseReservation(wallet, released, "upstream error", system));
        commands.sendAndWait(new AdjustCredits(wallet, "adj_" + wallet.value(), Credits.of(-20), "duplicate grant",
                "T-1", Actor.staff("acct_staff")));
        commands.sendAndWait(new ReserveCredits(wallet, ReservationId.generate(), Credits.of(1), "key_x", "sdxl",
                later, system));
        return commands.sendAndWait(new ReversePurchase(wallet, "re_" + wallet.value(), "cs_" + wallet.value(),
                Credits.of(500), "refunded in Stripe", Actor.stripe("evt_1")));
    }

    /** Stops a processor and resets its tokens, which runs its reset handlers; the caller starts it again. */
    private StreamingEventProcessor stopAndReset(String group) {
        StreamingEventProcessor processor = processors.eventProcessor(group, StreamingEventProcessor.class)
                .orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        return processor;
    }

    /** Both read models have seen all ten events of the wallet (sequence 0 to 9). */
    private boolean projected(String wallet) {
        return jdbc.sql("select count(*) from wallet_balances where wallet_id = ? and last_sequence = 9").param(wallet)
                .query(Long.class).single() == 1
                && jdbc.sql("select count(*) from ledger_lines where wallet_id = ?").param(wallet)
                .query(Long.class).single() == 9;
    }

    /** Every column of a read model's rows of one wallet. */
    private List<Map<String, Object>> rows(String table, String wallet, String orderBy) {
        return jdbc.sql("select * from " + table + " where wallet_id = ? order by " + orderBy).param(wallet)
                .query().listOfRows();
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
