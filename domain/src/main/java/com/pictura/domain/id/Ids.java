package com.pictura.domain.id;

import java.security.SecureRandom;

/**
 * Random, URL-safe identifiers with a type prefix ({@code acct_…}, {@code wal_…}). The prefix matters beyond
 * looks: Axon's event table is unique on (aggregate id, sequence) whatever the aggregate type, so two aggregates
 * must never share an id.
 */
public final class Ids {

    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** {@code prefix} followed by {@code length} random base62 characters. */
    public static String random(String prefix, int length) {
        StringBuilder id = new StringBuilder(prefix.length() + length).append(prefix);
        for (int i = 0; i < length; i++) {
            id.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return id.toString();
    }

    /**
     * Checks that {@code value} starts with {@code prefix} and is otherwise made of safe characters.
     *
     * @throws IllegalArgumentException with a message fit for a client
     */
    public static String require(String value, String prefix) {
        if (value == null || !value.startsWith(prefix) || value.length() == prefix.length()
                || value.length() > 100 || !value.substring(prefix.length()).matches("[A-Za-z0-9_\\-]+")) {
            throw new IllegalArgumentException("not a valid id: expected '" + prefix + "…', got: " + value);
        }
        return value;
    }
}
