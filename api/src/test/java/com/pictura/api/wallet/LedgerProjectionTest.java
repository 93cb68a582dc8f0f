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
            var ledger = http.get("/api/ledger?size=50", ann.session()).json();
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
            var ledger = http.get("/api/ledger?size=50", cleo.session()).json();
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
        List<Map<String, Object>> balancesBefore = balanceRows();
        List<Map<String, Object>> ledgerBefore = ledgerRows();

        replay(BalanceProjection.GROUP);
        replay(LedgerLinesProjection.GROUP);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(balanceRows()).isEqualTo(balancesBefore);
            assertThat(ledgerRows()).isEqualTo(ledgerBefore);
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

    private void replay(String group) {
        StreamingEventProcessor processor = processors.eventProcessor(group, StreamingEventProcessor.class)
                .orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();
    }

    /** Both read models have seen all ten events of the wallet (sequence 0 to 9). */
    private boolean projected(String wallet) {
        return jdbc.sql("select count(*) from wallet_balances where wallet_id = ? and last_sequence = 9").param(wallet)
                .query(Long.class).single() == 1
                && jdbc.sql("select count(*) from ledger_lines where wallet_id = ?").param(wallet)
                .query(Long.class).single() == 9;
    }

    private List<Map<String, Object>> balanceRows() {
        return jdbc.sql("select wallet_id, account_id, promotional, paid, reserved, last_sequence from wallet_balances "
                + "order by wallet_id").query().listOfRows();
    }

    private List<Map<String, Object>> ledgerRows() {
        return jdbc.sql("select event_id, wallet_id, sequence_number, kind, reference, amount, promotional_delta, "
                + "paid_delta, reserved_delta, promotional_after, paid_after, reserved_after, description "
                + "from ledger_lines order by wallet_id, sequence_number").query().listOfRows();
    }
}
