package com.pictura.projections.apikey;

import java.time.Instant;

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

    void revoke(Instant at) {
        this.revokedAt = at;
    }
}
