package com.pictura.domain.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.pictura.domain.id.Ids;

/** The id of an account: {@code acct_…}. */
public record AccountId(String value) {

    public static final String PREFIX = "acct_";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public AccountId {
        Ids.require(value, PREFIX);
    }

    public static AccountId generate() {
        return new AccountId(Ids.random(PREFIX, 22));
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
