package com.pictura.projections.wallet;

import java.sql.Timestamp;

import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.ReservationReleased;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The holds not settled yet, with their expiry: what the gateway's hold sweeper releases when the node that made
 * a call never settled it. In the {@code balances} group, so it costs no event stream of its own and commits with
 * the balances' batch. Idempotent: a redelivered hold is inserted once, a redelivered settlement deletes nothing.
 */
@Component
@ProcessingGroup(BalanceProjection.GROUP)
public class OpenHoldsProjection {

    private final JdbcClient jdbc;

    public OpenHoldsProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(CreditsReserved e) {
        jdbc.sql("insert into open_holds (reservation_id, wallet_id, expires_at) values (?, ?, ?) "
                        + "on conflict (reservation_id) do nothing")
                .params(e.reservationId().value(), e.walletId().value(), Timestamp.from(e.expiresAt()))
                .update();
    }

    @EventHandler
    void on(UsageCharged e) {
        settled(e.reservationId().value());
    }

    @EventHandler
    void on(ReservationReleased e) {
        settled(e.reservationId().value());
    }

    private void settled(String reservationId) {
        jdbc.sql("delete from open_holds where reservation_id = ?").param(reservationId).update();
    }

    @ResetHandler
    void reset() {
        jdbc.sql("delete from open_holds").update();
    }
}
