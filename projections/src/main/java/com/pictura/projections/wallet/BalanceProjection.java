package com.pictura.projections.wallet;

import java.time.Instant;

import com.pictura.domain.wallet.WalletEvent;
import com.pictura.domain.wallet.WalletEvent.WalletOpened;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/**
 * Balance per wallet, per lot. Idempotent: each row remembers the last wallet sequence it applied, so a
 * redelivered event changes nothing. An event of a wallet without a row fails (it is parked, not dropped).
 */
@Component
@ProcessingGroup(BalanceProjection.GROUP)
public class BalanceProjection {

    public static final String GROUP = "balances";

    private final BalanceRepository balances;

    public BalanceProjection(BalanceRepository balances) {
        this.balances = balances;
    }

    @EventHandler
    void on(WalletOpened e, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (!balances.existsById(e.walletId().value())) {
            balances.save(new BalanceRow(e.walletId().value(), e.accountId().value(), sequence, at));
        }
    }

    @EventHandler
    void on(WalletEvent e, @SequenceNumber long sequence, @Timestamp Instant at) {
        // Every wallet's stream starts with WalletOpened, so a missing row is a broken read model: fail, and the
        // processor parks the event (dead-letter queue) instead of losing its credits without a trace.
        BalanceRow row = balances.findById(e.walletId().value()).orElseThrow(() -> new IllegalStateException(
                "no balance row for wallet " + e.walletId() + " at its event " + sequence + " ("
                        + e.getClass().getSimpleName() + ")"));
        row.apply(e.movement(), sequence, at);
    }

    @ResetHandler
    void reset() {
        balances.deleteAllInBatch();
    }
}
