package com.pictura.domain;

/**
 * A business rule said no. Carries a stable machine-readable {@link #code()} and a message fit for the person
 * who asked; the HTTP layer maps refusals to status codes in one place.
 */
public abstract class Refusal extends RuntimeException {

    private final String code;

    protected Refusal(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
