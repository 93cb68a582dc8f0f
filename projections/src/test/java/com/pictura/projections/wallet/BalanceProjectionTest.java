package com.pictura.projections.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.WalletEvent.CreditsGranted;
import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.ReservationReleased;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import com.pictura.domain.wallet.WalletEvent.WalletOpened;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletId;
import com.pictura.projections.ProjectionTest;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class BalanceProjectionTest extends ProjectionTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Autowired
    BalanceProjection projection;
    @Autowired
    OpenHoldsProjection openHolds;
    @Autowired
    BalanceRepository balances;

    @Test
    void aRedeliveredEventChangesNothing() {
        WalletId wallet = openedWallet();
        DomainEventMessage<Object> grant = event(wallet.value(), 1,
                new CreditsGranted(wallet, "signup", Credits.of(25), "sign-up"), T0.plusSeconds(1));
        deliver(projection, grant);
        DomainEventMessage<Object> hold = event(wallet.value(), 2, reserved(wallet, ReservationId.generate(), 3),
                T0.plusSeconds(2));
        deliver(projection, hold);

        // Redelivered, as after a processor's crash before its token was stored: out of order too.
        deliver(projection, grant);
        deliver(projection, hold);
        deliver(projection, grant);

        BalanceRow row = balances.findById(wallet.value()).orElseThrow();
        assertThat(row.promotional()).isEqualTo(Credits.of(22));
        assertThat(row.reserved()).isEqualTo(Credits.of(3));
        assertThat(row.updatedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(jdbc.sql("select last_sequence from wallet_balances where wallet_id = ?").param(wallet.value())
                .query(Long.class).single()).isEqualTo(2L);
    }

    @Test
    void aRedeliveredWalletOpenedDoesNotResetTheBalance() {
        WalletId wallet = new WalletId("wal_" + UUID.randomUUID());
        DomainEventMessage<Object> opened = event(wallet.value(), 0,
                new WalletOpened(wallet, new AccountId("acct_" + UUID.randomUUID())), T0);
        deliver(projection, opened);
        deliver(projection, event(wallet.value(), 1, new CreditsGranted(wallet, "g", Credits.of(25), "x"), T0));

        deliver(projection, opened);

        assertThat(balances.findById(wallet.value()).orElseThrow().promotional()).isEqualTo(Credits.of(25));
    }

    @Test
    void anEventForAWalletWithoutABalanceRowFailsInsteadOfBeingDropped() {
        WalletId unknown = new WalletId("wal_" + UUID.randomUUID());

        // A failure parks the event in the dead-letter queue (a processor's error handling); silence would lose it.
        assertThatThrownBy(() -> deliver(projection, event(unknown.value(), 1,
                new CreditsGranted(unknown, "g", Credits.of(25), "x"), T0)))
                .hasStackTraceContaining(unknown.value());
        assertThat(balances.findById(unknown.value())).isEmpty();
    }

    @Test
    void aHoldIsOpenUntilItIsChargedOrReleasedAndARedeliveredHoldIsInsertedOnce() {
        WalletId wallet = openedWallet();
        ReservationId charged = ReservationId.generate();
        ReservationId released = ReservationId.generate();
        DomainEventMessage<Object> hold = event(wallet.value(), 1, reserved(wallet, charged, 3), T0);
        deliver(openHolds, hold);
        deliver(openHolds, event(wallet.value(), 2, reserved(wallet, released, 2), T0));
        deliver(openHolds, hold);
        assertThat(openHolds(wallet)).isEqualTo(2);
        assertThat(jdbc.sql("select expires_at from open_holds where reservation_id = ?").param(charged.value())
                .query(java.sql.Timestamp.class).single().toInstant()).isEqualTo(T0.plus(10, ChronoUnit.MINUTES));

        deliver(openHolds, event(wallet.value(), 3, new UsageCharged(wallet, charged, Credits.of(1), Credits.of(1),
                Credits.ZERO, Credits.of(3), Credits.ZERO, new Usage(1, 2, 0, 10)), T0));
        deliver(openHolds, event(wallet.value(), 4, new ReservationReleased(wallet, released, Credits.of(2),
                Credits.of(2), Credits.ZERO, "upstream error"), T0));
        assertThat(openHolds(wallet)).isZero();

        // A reset empties the table; the replay that follows rebuilds it from the first event.
        deliver(openHolds, event(wallet.value(), 5, reserved(wallet, ReservationId.generate(), 1), T0));
        reset(openHolds);
        assertThat(jdbc.sql("select count(*) from open_holds").query(Long.class).single()).isZero();
    }

    private WalletId openedWallet() {
        WalletId wallet = new WalletId("wal_" + UUID.randomUUID());
        deliver(projection, event(wallet.value(), 0, new WalletOpened(wallet, new AccountId("acct_" + UUID.randomUUID())),
                T0));
        return wallet;
    }

    private static CreditsReserved reserved(WalletId wallet, ReservationId id, long credits) {
        return new CreditsReserved(wallet, id, Credits.of(credits), Credits.of(credits), Credits.ZERO, "key_x", "sdxl",
                T0.plus(10, ChronoUnit.MINUTES));
    }

    private long openHolds(WalletId wallet) {
        return jdbc.sql("select count(*) from open_holds where wallet_id = ?").param(wallet.value())
                .query(Long.class).single();
    }
}
