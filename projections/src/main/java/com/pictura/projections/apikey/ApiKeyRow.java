package com.pictura.projections.apikey;

import java.time.Instant;
import java.util.Arrays;

import com.pictura.domain.apikey.ApiKeyLimits;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.SpendLimits;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An API key as its owner sees it, and as authentication finds it: by the hash of its secret. */
@Entity
@Table(name = "api_keys")
public class ApiKeyRow {

    @Id
    @Column(name = "key_id")
    private String keyId;
    @Column(name = "account_id")
    private String accountId;
    private String name;
    private String prefix;
    @Column(name = "secret_hash")
    private String secretHash;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;
    @Column(name = "last_used_at")
    private Instant lastUsedAt;
    @Column(name = "daily_limit")
    private Long dailyLimit;
    @Column(name = "monthly_limit")
    private Long monthlyLimit;
    @Column(name = "lifetime_limit")
    private Long lifetimeLimit;
    @Column(name = "allowed_models")
    private String allowedModels;
    @Column(name = "expires_at")
    private Instant expiresAt;

    protected ApiKeyRow() {
    }

    ApiKeyRow(String keyId, String accountId, String name, String prefix, String secretHash, Instant createdAt) {
        this.keyId = keyId;
        this.accountId = accountId;
        this.name = name;
        this.prefix = prefix;
        this.secretHash = secretHash;
        this.createdAt = createdAt;
    }

    public String keyId() {
        return keyId;
    }

    public String accountId() {
        return accountId;
    }

    public String name() {
        return name;
    }

    public String prefix() {
        return prefix;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    public Instant lastUsedAt() {
        return lastUsedAt;
    }

    public boolean isActive() {
        return revokedAt == null;
    }

    public ApiKeyLimits limits() {
        return limits(dailyLimit, monthlyLimit, lifetimeLimit, allowedModels, expiresAt);
    }

    /** The limits as the columns of {@code api_keys} hold them, for a query that reads them itself. */
    public static ApiKeyLimits limits(Long dailyLimit, Long monthlyLimit, Long lifetimeLimit, String allowedModels,
                                      Instant expiresAt) {
        return new ApiKeyLimits(new SpendLimits(credits(dailyLimit), credits(monthlyLimit), credits(lifetimeLimit)),
                allowedModels == null ? null : Arrays.asList(allowedModels.split(",")), expiresAt);
    }

    void limit(ApiKeyLimits limits) {
        dailyLimit = micros(limits.spending().daily());
        monthlyLimit = micros(limits.spending().monthly());
        lifetimeLimit = micros(limits.spending().lifetime());
        allowedModels = limits.models() == null ? null : String.join(",", limits.models());
        expiresAt = limits.expiresAt();
    }

    private static Credits credits(Long micros) {
        return micros == null ? null : Credits.ofMicros(micros);
    }

    private static Long micros(Credits credits) {
        return credits == null ? null : credits.micros();
    }

    void revoke(Instant at) {
        this.revokedAt = at;
    }
}
