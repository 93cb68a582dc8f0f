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
 * redelivered event changes nothing. An event of a wallet without a row fails (it is parked, not dropped). One
 * statement per event, in plain SQL: through JPA each event cost a select, a dirty check and an update, and the
 * read models were the largest share of a paid call's CPU.
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
        int updated = jdbc.sql("""
                        update wallet_balances
                           set promotional = promotional + ?, paid = paid + ?, reserved = reserved + ?,
                               last_sequence = ?, updated_at = ?
                         where wallet_id = ? and last_sequence < ?""")
                .params(m.promotional().micros(), m.paid().micros(), m.reserved().micros(), sequence,
                        at.atOffset(ZoneOffset.UTC), e.walletId().value(), sequence)
                .update();
        // Nothing updated: a redelivery (the row is past this sequence), or no row at all. Every wallet's stream
        // starts with WalletOpened, so a missing row is a broken read model: fail, and the processor parks the
        // event (dead-letter queue) instead of losing its credits without a trace.
        if (updated == 0 && jdbc.sql("select count(*) from wallet_balances where wallet_id = ?")
                .param(e.walletId().value()).query(Long.class).single() == 0) {
            throw new IllegalStateException("no balance row for wallet " + e.walletId() + " at its event " + sequence
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @ResetHandler
    void reset() {
        jdbc.sql("delete from wallet_balances").update();
    }
}
