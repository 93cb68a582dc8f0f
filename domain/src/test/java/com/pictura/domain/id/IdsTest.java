package com.pictura.domain.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.apikey.ApiKeyId;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.WalletId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    @Test
    void idsPrintAsTheirRawValue() {
        assertThat(new WalletId("wal_a-B_9")).hasToString("wal_a-B_9");
        assertThat(new AccountId("acct_x")).hasToString("acct_x");
    }

    @ParameterizedTest(name = "\"{0}\" is not a wallet id")
    @NullSource
    @ValueSource(strings = {"", "wal_", "acct_x", "WAL_x", "wal_a b", "wal_a/b", "wal_é", "wal_a.b"})
    void anIdNeedsItsPrefixAndSafeCharacters(String value) {
        assertThatThrownBy(() -> new WalletId(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIdIsAtMostAHundredCharacters() {
        assertThat(new WalletId("wal_" + "x".repeat(96)).value()).hasSize(100);
        assertThatThrownBy(() -> new WalletId("wal_" + "x".repeat(97))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWalletIdFollowsFromItsAccountId() {
        assertThat(WalletId.of(new AccountId("acct_3kT9"))).isEqualTo(new WalletId("wal_3kT9"));
    }

    @Test
    void generatedIdsAreValidAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            AccountId account = AccountId.generate();
            ApiKeyId key = ApiKeyId.generate();
            ReservationId reservation = ReservationId.generate();
            assertThat(account.value()).matches("acct_[0-9A-Za-z]{22}");
            assertThat(key.value()).matches("key_[0-9A-Za-z]{22}");
            assertThat(reservation.value()).matches("res_[0-9A-Za-z]{22}");
            assertThat(seen.add(account.value())).isTrue();
        }
    }
}
