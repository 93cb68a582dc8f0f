package com.pictura.api.account;

import java.time.Duration;
import java.util.Optional;

import com.pictura.domain.wallet.WalletId;
import com.pictura.projections.wallet.BalanceRepository;
import com.pictura.projections.wallet.BalanceRow;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The balance read model, read no earlier than the wallet's own last stored event: the balance projection runs
 * behind the ledger (a streaming processor, milliseconds to about a second), and a person who has just signed up
 * or bought credits must see them, not 0. Waits at most {@link #LONGEST} for the row to catch up, then answers
 * what there is.
 */
@Component
class FreshBalances {

    private static final Duration LONGEST = Duration.ofSeconds(2);
    private static final long POLL_MILLIS = 5;

    private final BalanceRepository balances;
    private final JdbcClient jdbc;

    FreshBalances(BalanceRepository balances, JdbcClient jdbc) {
        this.balances = balances;
        this.jdbc = jdbc;
    }

    private long applied(WalletId wallet) {
        return jdbc.sql("select last_sequence from wallet_balances where wallet_id = ?").param(wallet.value())
                .query(Long.class).optional().orElse(-1L);
    }

    Optional<BalanceRow> read(WalletId wallet) {
        long last = jdbc.sql("select coalesce(max(sequence_number), -1) from domain_event_entry where aggregate_identifier = ?")
                .param(wallet.value()).query(Long.class).single();
        long deadline = System.nanoTime() + LONGEST.toNanos();
        // Polled with plain SQL: an entity read would be cached by the request's persistence context.
        while (applied(wallet) < last && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return balances.findById(wallet.value());
    }
}
