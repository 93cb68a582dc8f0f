package com.pictura.api.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** An instant a client sent as a query parameter or field: ISO-8601, or a 400 naming the parameter. */
public final class Instants {

    private Instants() {
    }

    /** @return null when {@code text} is null (the parameter was left out) */
    public static Instant parse(String param, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(param, param + " must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }
}
