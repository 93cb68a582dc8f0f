package com.pictura.projections.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import com.pictura.domain.account.AccountEvent.AccountRegistered;
import com.pictura.domain.account.AccountEvent.AccountReinstated;
import com.pictura.domain.account.AccountEvent.AccountSuspended;
import com.pictura.domain.account.AccountEvent.RoleGranted;
import com.pictura.domain.account.AccountEvent.RoleRevoked;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.account.AccountStatus;
import com.pictura.domain.account.Role;
import com.pictura.projections.ProjectionTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AccountLookupProjectionTest extends ProjectionTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Autowired
    AccountLookupProjection projection;
    @Autowired
    AccountRepository accounts;

    @Test
    void aReinstatedAccountIsActiveAgain() {
        AccountId id = registered(Set.of());
        deliver(projection, event(id.value(), 1, new AccountSuspended(id, "chargeback review"), T0.plusSeconds(1)));
        assertThat(accounts.findById(id.value()).orElseThrow().status()).isEqualTo(AccountStatus.SUSPENDED);

        deliver(projection, event(id.value(), 2, new AccountReinstated(id, "resolved"), T0.plusSeconds(2)));

        assertThat(accounts.findById(id.value()).orElseThrow().status()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(jdbc.sql("select updated_at from accounts where account_id = ?").param(id.value())
                .query(java.sql.Timestamp.class).single().toInstant()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aRevokedRoleIsRemovedAndTheOthersStay() {
        AccountId id = registered(Set.of(Role.SUPPORT));
        deliver(projection, event(id.value(), 1, new RoleGranted(id, Role.ADMIN, "on call"), T0));
        assertThat(accounts.findById(id.value()).orElseThrow().roles()).containsExactlyInAnyOrder(Role.SUPPORT, Role.ADMIN);

        deliver(projection, event(id.value(), 2, new RoleRevoked(id, Role.SUPPORT, "moved team"), T0));

        assertThat(accounts.findById(id.value()).orElseThrow().roles()).isEqualTo(EnumSet.of(Role.ADMIN));
        assertThat(jdbc.sql("select roles from accounts where account_id = ?").param(id.value())
                .query(String.class).single()).isEqualTo("ADMIN");
    }

    private AccountId registered(Set<Role> roles) {
        AccountId id = new AccountId("acct_" + UUID.randomUUID().toString().replace("-", ""));
        deliver(projection, event(id.value(), 0, new AccountRegistered(id, id.value() + "@example.com", roles), T0));
        return id;
    }
}
