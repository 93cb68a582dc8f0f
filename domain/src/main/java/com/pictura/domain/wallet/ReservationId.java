package com.pictura.domain.wallet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.pictura.domain.id.Ids;

/** The id of a credit reservation (a hold): {@code res_…}. */
public record ReservationId(String value) {

    public static final String PREFIX = "res_";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public ReservationId {
        Ids.require(value, PREFIX);
    }

    public static ReservationId generate() {
        return new ReservationId(Ids.random(PREFIX, 22));
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
