package com.pictura.projections.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.apikey.ApiKeyEvent.ApiKeyIssued;
import com.pictura.domain.apikey.ApiKeyEvent.ApiKeyRevoked;
import com.pictura.domain.apikey.ApiKeyId;
import com.pictura.projections.ProjectionTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ApiKeyLookupProjectionTest extends ProjectionTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Autowired
    ApiKeyLookupProjection projection;
    @Autowired
    ApiKeyRepository keys;

    @Test
    void anIssuedKeyIsFoundByItsSecretHashAndARevokedOneSaysWhen() {
        AccountId owner = AccountId.generate();
        ApiKeyId key = issued(owner);

        assertThat(keys.findBySecretHash("hash-of-" + key.value())).hasValueSatisfying(row -> {
            assertThat(row.keyId()).isEqualTo(key.value());
            assertThat(row.createdAt()).isEqualTo(T0);
            assertThat(row.isActive()).isTrue();
            assertThat(row.lastUsedAt()).isNull();
        });
        assertThat(keys.countByAccountIdAndRevokedAtIsNull(owner.value())).isEqualTo(1);
        deliver(projection, event(key.value(), 1, new ApiKeyRevoked(key, owner, "leaked"), T0.plusSeconds(5)));

        ApiKeyRow revoked = keys.findById(key.value()).orElseThrow();
        assertThat(revoked.isActive()).isFalse();
        assertThat(revoked.revokedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(keys.countByAccountIdAndRevokedAtIsNull(owner.value())).isZero();
    }

    @Test
    void lastUsedIsSetOnFirstUseThenAtMostOncePerMinute() {
        ApiKeyId key = issued(AccountId.generate());
        Instant used = T0.plusSeconds(100);

        assertThat(keys.touch(key.value(), used, used.minus(Duration.ofMinutes(1)))).isEqualTo(1);
        assertThat(keys.findById(key.value()).orElseThrow().lastUsedAt()).isEqualTo(used);

        // Thirty seconds later: within the minute, no write.
        Instant soon = used.plusSeconds(30);
        assertThat(keys.touch(key.value(), soon, soon.minus(Duration.ofMinutes(1)))).isZero();
        assertThat(keys.findById(key.value()).orElseThrow().lastUsedAt()).isEqualTo(used);

        Instant later = used.plusSeconds(61);
        assertThat(keys.touch(key.value(), later, later.minus(Duration.ofMinutes(1)))).isEqualTo(1);
        assertThat(keys.findById(key.value()).orElseThrow().lastUsedAt()).isEqualTo(later);
    }

    private ApiKeyId issued(AccountId owner) {
        ApiKeyId key = ApiKeyId.generate();
        deliver(projection, event(key.value(), 0, new ApiKeyIssued(key, owner, "ci", "pk_abc",
                "hash-of-" + key.value()), T0));
        return key;
    }
}
