package com.pictura.domain;

/** A command that no state could accept: a missing reason, a non-positive amount, an unconfirmed age. */
public class InvalidCommand extends Refusal {

    public InvalidCommand(String message) {
        super("invalid_request", message);
    }

    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidCommand(message);
        }
    }

    public static String requireText(String value, String what) {
        require(value != null && !value.isBlank(), what + " is required");
        require(value.length() <= 500, what + " is too long (500 characters at most)");
        return value.strip();
    }
}
