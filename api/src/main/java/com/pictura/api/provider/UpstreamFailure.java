package com.pictura.api.provider;

/**
 * A provider call that did not deliver: an error status, a refused or broken connection, or a timeout. The
 * gateway answers 502 or 504 and charges nothing for what was not delivered.
 */
public class UpstreamFailure extends RuntimeException {

    public enum Kind {
        /** The provider answered with an error, or the connection failed or broke. */
        ERROR,
        /** Connect, first-byte or total timeout. */
        TIMEOUT
    }

    private final Kind kind;
    private final int status;

    public UpstreamFailure(Kind kind, int status, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The provider's status, or 0 when there was none. */
    public int status() {
        return status;
    }

    /** The short reason recorded in the ledger's metadata. */
    public String reason() {
        return kind == Kind.TIMEOUT ? "upstream_timeout" : "upstream_error";
    }
}
