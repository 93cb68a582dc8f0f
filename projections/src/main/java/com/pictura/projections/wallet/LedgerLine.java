package com.pictura.projections.wallet;

import java.time.Instant;

import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.Movement;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One credit movement of a wallet and the balance right after it, like a line on a bank statement; written by
 * {@link LedgerLinesProjection}.
 */
@Entity
@Table(name = "ledger_lines")
public class LedgerLine {

    @Id
    @Column(name = "event_id")
    private String eventId;
    @Column(name = "wallet_id")
    private String walletId;
    @Column(name = "sequence_number")
    private long sequenceNumber;
    @Column(name = "occurred_at")
    private Instant occurredAt;
    private String kind;
    private String reference;
    private long amount;
    @Column(name = "promotional_delta")
    private long promotionalDelta;
    @Column(name = "paid_delta")
    private long paidDelta;
    @Column(name = "reserved_delta")
    private long reservedDelta;
    @Column(name = "promotional_after")
    private long promotionalAfter;
    @Column(name = "paid_after")
    private long paidAfter;
    @Column(name = "reserved_after")
    private long reservedAfter;
    private String description;

    protected LedgerLine() {
    }

    public String eventId() {
        return eventId;
    }

    public String walletId() {
        return walletId;
    }

    public long sequenceNumber() {
        return sequenceNumber;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    /** grant, purchase, reservation, charge, release, adjustment, refund, reversal, forfeit. */
    public String kind() {
        return kind;
    }

    /** The operation's own id: grant, payment, reservation, adjustment, refund or reversal id. */
    public String reference() {
        return reference;
    }

    public Credits amount() {
        return Credits.ofMicros(amount);
    }

    public Movement movement() {
        return new Movement(Credits.ofMicros(promotionalDelta), Credits.ofMicros(paidDelta),
                Credits.ofMicros(reservedDelta));
    }

    public Credits promotionalAfter() {
        return Credits.ofMicros(promotionalAfter);
    }

    public Credits paidAfter() {
        return Credits.ofMicros(paidAfter);
    }

    public Credits reservedAfter() {
        return Credits.ofMicros(reservedAfter);
    }

    public Credits availableAfter() {
        return promotionalAfter().plus(paidAfter());
    }

    public String description() {
        return description;
    }
}
