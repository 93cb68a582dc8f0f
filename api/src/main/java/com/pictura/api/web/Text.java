package com.pictura.api.web;

/**
 * Checks on text a client sends that Pictura stores or shows: control characters (NUL among them, which
 * PostgreSQL refuses), lone surrogates (stored as {@code ?}, so two different inputs became one value), and
 * invisible formatting characters such as bidi overrides and byte order marks (which make a name read differently
 * from what it is). Each is a 400 naming the field, before anything is written or logged.
 */
public final class Text {

    private static final int ZERO_WIDTH_JOINER = 0x200D;

    private Text() {
    }

    /** A name or label shown back to people: no control, formatting or separator characters, no lone surrogates. */
    public static String plain(String value, String param) {
        if (value == null) {
            return null;
        }
        String problem = problem(value, true);
        if (problem != null) {
            throw ApiException.invalid(param, "'" + param + "' must not contain " + problem + ".");
        }
        return value;
    }

    /** A secret (a password): any printable text, but no control characters and no lone surrogates. */
    public static String secret(String value, String param) {
        if (value == null) {
            return null;
        }
        String problem = problem(value, false);
        if (problem != null) {
            throw ApiException.invalid(param, "'" + param + "' must not contain " + problem + ".");
        }
        return value;
    }

    /** What is wrong with {@code value}, or null. */
    static String problem(String value, boolean shown) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                return "unpaired surrogate characters";
            }
            int type = Character.getType(c);
            if (type == Character.CONTROL) {
                return "control characters";
            }
            if (shown && ((type == Character.FORMAT && c != ZERO_WIDTH_JOINER)
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR)) {
                return "invisible formatting characters";
            }
        }
        return null;
    }
}
