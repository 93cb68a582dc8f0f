package com.pictura.domain.apikey;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.pictura.domain.id.Ids;

/** The id of an API key: {@code key_…}. */
public record ApiKeyId(String value) {

    public static final String PREFIX = "key_";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public ApiKeyId {
        Ids.require(value, PREFIX);
    }

    public static ApiKeyId generate() {
        return new ApiKeyId(Ids.random(PREFIX, 22));
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
