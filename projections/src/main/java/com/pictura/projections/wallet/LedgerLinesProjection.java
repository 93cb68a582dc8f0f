package com.pictura.projections.wallet;

import java.time.Instant;
import java.time.ZoneOffset;

import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.Movement;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletEvent;
import com.pictura.domain.wallet.WalletEvent.AdjustmentApproved;
import com.pictura.domain.wallet.WalletEvent.AdjustmentRejected;
import com.pictura.domain.wallet.WalletEvent.AdjustmentRequested;
import com.pictura.domain.wallet.WalletEvent.ChargeRefunded;
import com.pictura.domain.wallet.WalletEvent.CreditsAdjusted;
import com.pictura.domain.wallet.WalletEvent.CreditsForfeited;
import com.pictura.domain.wallet.WalletEvent.CreditsGranted;
import com.pictura.domain.wallet.WalletEvent.CreditsPurchased;
import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.ExpiredHoldCharged;
import com.pictura.domain.wallet.WalletEvent.PurchaseReversed;
import com.pictura.domain.wallet.WalletEvent.ReservationReleased;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import com.pictura.domain.wallet.WalletEvent.WalletOpened;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Every credit movement with the balance after it. Events of one wallet arrive in order (the processor
 * sequences by aggregate), so each line builds on the one before; a redelivered event is recognised by its id.
 */
@Component
@ProcessingGroup(LedgerLinesProjection.GROUP)
public class LedgerLinesProjection {

    public static final String GROUP = "ledger";

    private final JdbcClient jdbc;

    public LedgerLinesProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One statement per event: the line, with the balance after it computed from the wallet's latest line in the
     * same statement. A redelivered event (same id, or same wallet sequence) inserts nothing. Through JPA each
     * line cost two selects, an insert and a flush.
     */
    @EventHandler
    void on(WalletEvent e, EventMessage<?> message, @SequenceNumber long sequence, @Timestamp Instant at) {
        // Opening a wallet and deciding on a four-eyes request move nothing: an approval's credits move in the
        // CreditsAdjusted that follows it.
        if (e instanceof WalletOpened || e instanceof AdjustmentRequested || e instanceof AdjustmentApproved
                || e instanceof AdjustmentRejected) {
            return;
        }
        String walletId = e.walletId().value();
        Line line = describe(e);
        Movement m = e.movement();
        jdbc.sql("""
                        insert into ledger_lines (event_id, wallet_id, sequence_number, occurred_at, kind, reference,
                                                  amount, promotional_delta, paid_delta, reserved_delta,
                                                  promotional_after, paid_after, reserved_after, description)
                        select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                               coalesce(p.promotional_after, 0) + ?, coalesce(p.paid_after, 0) + ?,
                               coalesce(p.reserved_after, 0) + ?, ?
                          from (select 1) one
                          left join lateral (select promotional_after, paid_after, reserved_after from ledger_lines
                                              where wallet_id = ? order by sequence_number desc limit 1) p on true
                        on conflict do nothing""")
                .params(message.getIdentifier(), walletId, sequence, at.atOffset(ZoneOffset.UTC), line.kind(),
                        line.reference(), line.amount().micros(), m.promotional().micros(), m.paid().micros(),
                        m.reserved().micros(), m.promotional().micros(), m.paid().micros(), m.reserved().micros(),
                        line.description(), walletId)
                .update();
    }

    @ResetHandler
    void reset() {
        jdbc.sql("delete from ledger_lines").update();
    }

    private static Line describe(WalletEvent event) {
        if (event instanceof CreditsGranted e) {
            return new Line("grant", e.grantId(), e.amount(), e.reason());
        } else if (event instanceof CreditsPurchased e) {
            return new Line("purchase", e.paymentId(), e.amount(),
                    "purchase of " + e.amount() + " credits for " + e.priceCents() + " " + e.currency() + " cents");
        } else if (event instanceof CreditsReserved e) {
            return new Line("reservation", e.reservationId().value(), e.amount().negate(), e.model());
        } else if (event instanceof UsageCharged e) {
            return new Line("charge", e.reservationId().value(), e.amount().negate(), usage(e.usage()));
        } else if (event instanceof ExpiredHoldCharged e) {
            // Its hold was already released by the expiry: this line takes the charge from the balance itself.
            return new Line("charge", e.reservationId().value(), e.amount().negate(),
                    usage(e.usage()) + ", decided before its hold expired");
        } else if (event instanceof ReservationReleased e) {
            return new Line("release", e.reservationId().value(), e.amount(), e.reason());
        } else if (event instanceof CreditsAdjusted e) {
            return new Line("adjustment", e.adjustmentId(), e.amount(), e.reason() + " (ticket " + e.ticket() + ")");
        } else if (event instanceof ChargeRefunded e) {
            return new Line("refund", e.refundId(), e.amount(), e.reason());
        } else if (event instanceof PurchaseReversed e) {
            return new Line("reversal", e.reversalId(), e.amount().negate(), e.reason());
        } else if (event instanceof CreditsForfeited e) {
            return new Line("forfeit", null, e.promotional().plus(e.paid()).negate(), e.reason());
        }
        throw new IllegalArgumentException("no ledger line for " + event.getClass().getSimpleName());
    }

    private static String usage(Usage u) {
        return u.images() > 0 ? u.images() + " image(s)"
                : u.inputTokens() + " input + " + u.outputTokens() + " output tokens";
    }

    private record Line(String kind, String reference, Credits amount, String description) {
    }
}
