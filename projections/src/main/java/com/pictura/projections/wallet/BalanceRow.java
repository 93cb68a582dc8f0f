package com.pictura.projections.wallet;

import java.time.Instant;

import com.pictura.domain.wallet.Credits;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A wallet's balance, in micro-credits per lot; written by {@link BalanceProjection}. */
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
