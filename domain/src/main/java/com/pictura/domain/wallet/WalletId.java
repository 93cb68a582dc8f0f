package com.pictura.domain.wallet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.id.Ids;

/** The id of a credit wallet: {@code wal_…}. */
public record WalletId(String value) {

    public static final String PREFIX = "wal_";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public WalletId {
        Ids.require(value, PREFIX);
    }

    /** Every account has exactly one wallet, so its id follows from the account's. */
    public static WalletId of(AccountId account) {
        return new WalletId(PREFIX + account.value().substring(AccountId.PREFIX.length()));
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
