package com.pictura.projections.account;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import com.pictura.domain.account.AccountStatus;
import com.pictura.domain.account.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An account as support and authentication see it. The unique email column is the sign-up guard. */
@Entity
@Table(name = "accounts")
public class AccountRow {

    @Id
    @Column(name = "account_id")
    private String accountId;
    private String email;
    @Enumerated(EnumType.STRING)
    private AccountStatus status;
    private String roles;
    @Column(name = "registered_at")
    private Instant registeredAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Column(name = "email_verified")
    private boolean emailVerified;
    @Column(name = "terms_version")
    private String termsVersion;
    @Column(name = "terms_accepted_at")
    private Instant termsAcceptedAt;

    protected AccountRow() {
    }

    AccountRow(String accountId, String email, Set<Role> roles, Instant registeredAt) {
        this.accountId = accountId;
        this.email = email;
        this.status = AccountStatus.ACTIVE;
        this.registeredAt = registeredAt;
        setRoles(roles);
        this.updatedAt = registeredAt;
    }

    public String accountId() {
        return accountId;
    }

    public String email() {
        return email;
    }

    public AccountStatus status() {
        return status;
    }

    public Instant registeredAt() {
        return registeredAt;
    }

    public boolean emailVerified() {
        return emailVerified;
    }

    /** The version of the Terms of Service last accepted; null for accounts older than the record of it. */
    public String termsVersion() {
        return termsVersion;
    }

    public Instant termsAcceptedAt() {
        return termsAcceptedAt;
    }

    public Set<Role> roles() {
        if (roles == null || roles.isBlank()) {
            return EnumSet.noneOf(Role.class);
        }
        return Arrays.stream(roles.split(",")).map(Role::valueOf)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
    }

    void setRoles(Set<Role> roles) {
        this.roles = roles.stream().map(Role::name).sorted().collect(Collectors.joining(","));
    }

    void setEmailVerified(Instant at) {
        this.emailVerified = true;
        this.updatedAt = at;
    }

    void setTermsAccepted(String version, Instant at) {
        this.termsVersion = version;
        this.termsAcceptedAt = at;
    }

    void setStatus(AccountStatus status, Instant at) {
        this.status = status;
        this.updatedAt = at;
    }
}
