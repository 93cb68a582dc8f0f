package com.pictura.projections.wallet;

import java.time.Instant;

import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.Movement;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A wallet's balance, in micro-credits per lot. */
@Entity
@Table(name = "wallet_balances")
public class BalanceRow {

    @Id
    @Column(name = "wallet_id")
    private String walletId;
    @Column(name = "account_id")
    private String accountId;
    private long promotional;
    private long paid;
    private long reserved;
    @Column(name = "last_sequence")
    private long lastSequence;
    @Column(name = "updated_at")
    private Instant updatedAt;

    protected BalanceRow() {
    }

    BalanceRow(String walletId, String accountId, long sequence, Instant at) {
        this.walletId = walletId;
        this.accountId = accountId;
        this.lastSequence = sequence;
        this.updatedAt = at;
    }

    /** Applies {@code movement} unless this event (by its sequence in the wallet) was applied already. */
    boolean apply(Movement movement, long sequence, Instant at) {
        if (sequence <= lastSequence) {
            return false;
        }
        promotional = Math.addExact(promotional, movement.promotional().micros());
        paid = Math.addExact(paid, movement.paid().micros());
        reserved = Math.addExact(reserved, movement.reserved().micros());
        lastSequence = sequence;
        updatedAt = at;
        return true;
    }

    public String walletId() {
        return walletId;
    }

    public String accountId() {
        return accountId;
    }

    public Credits promotional() {
        return Credits.ofMicros(promotional);
    }

    public Credits paid() {
        return Credits.ofMicros(paid);
    }

    public Credits reserved() {
        return Credits.ofMicros(reserved);
    }

    public Credits available() {
        return promotional().plus(paid());
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
