package com.pictura.projections.wallet;

import java.time.Instant;
import java.time.ZoneOffset;

import com.pictura.domain.wallet.Movement;
import com.pictura.domain.wallet.WalletEvent;
import com.pictura.domain.wallet.WalletEvent.WalletOpened;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Balance per wallet, per lot. Idempotent: each row remembers the last wallet sequence it applied, so a
 * redelivered event changes nothing. One statement per event, in plain SQL: through JPA each event cost a select,
 * a dirty check and an update, and the read models were the largest share of a paid call's CPU.
 */
@Component
@ProcessingGroup(BalanceProjection.GROUP)
public class BalanceProjection {

    public static final String GROUP = "balances";

    private final JdbcClient jdbc;

    public BalanceProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(WalletOpened e, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.sql("""
                        insert into wallet_balances (wallet_id, account_id, last_sequence, updated_at) values (?, ?, ?, ?)
                        on conflict (wallet_id) do nothing""")
                .params(e.walletId().value(), e.accountId().value(), sequence, at.atOffset(ZoneOffset.UTC))
                .update();
    }

    /** Bigint arithmetic in PostgreSQL fails on overflow, as {@code Math.addExact} would. */
    @EventHandler
    void on(WalletEvent e, @SequenceNumber long sequence, @Timestamp Instant at) {
        Movement m = e.movement();
        jdbc.sql("""
                        update wallet_balances
                           set promotional = promotional + ?, paid = paid + ?, reserved = reserved + ?,
                               last_sequence = ?, updated_at = ?
                         where wallet_id = ? and last_sequence < ?""")
                .params(m.promotional().micros(), m.paid().micros(), m.reserved().micros(), sequence,
                        at.atOffset(ZoneOffset.UTC), e.walletId().value(), sequence)
                .update();
    }

    @ResetHandler
    void reset() {
        jdbc.sql("delete from wallet_balances").update();
    }
}
