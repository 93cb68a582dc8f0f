package com.pictura.api.provider;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A provider call that did not deliver: an error status, a refused or broken connection, or a timeout. Nothing
 * is charged for it. An error status keeps what the provider said (its message, code, param, {@code Retry-After}),
 * so the gateway can pass back a refusal the client caused instead of calling it a provider failure.
 */
public class UpstreamFailure extends RuntimeException {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_MESSAGE = 1000;

    public enum Kind {
        /** The provider answered with an error, or the connection failed or broke. */
        ERROR,
        /** Connect, first-byte or total timeout. */
        TIMEOUT
    }

    /** What the provider's error body said, in whichever of the usual shapes it came; fields may be null. */
    public record Detail(String message, String code, String param, Long retryAfterSeconds) {
        static final Detail NONE = new Detail(null, null, null, null);
    }

    private final Kind kind;
    private final int status;
    private final Detail detail;

    public UpstreamFailure(Kind kind, int status, String message) {
        this(kind, status, message, Detail.NONE);
    }

    public UpstreamFailure(Kind kind, int status, String message, Detail detail) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
        this.detail = detail;
    }

    /**
     * An error answer: OpenAI's and most vendors' {@code {"error":{"message","code","param"}}}, vLLM's flat
     * {@code {"object":"error","message",…}}, TGI's {@code {"error":"…"}}, or a FastAPI server's {@code detail}
     * (DeepInfra's {@code {"detail":{"error":"…"}}}, a plain {@code {"detail":"…"}}, or a validation error's
     * {@code {"detail":[{"msg":"…","loc":[…]}]}}); anything else keeps no message.
     */
    public static UpstreamFailure fromAnswer(String provider, int status, byte[] body, String retryAfter) {
        String message = null;
        String code = null;
        String param = null;
        try {
            JsonNode root = body == null || body.length == 0 ? null : JSON.readTree(body);
            if (root != null && root.isObject()) {
                JsonNode error = root.get("error");
                JsonNode fields = error != null && error.isObject() ? error : root;
                if (error != null && error.isString()) {
                    message = error.asString();
                } else if (fields.path("message").isString()) {
                    message = fields.get("message").asString();
                }
                if (message == null) {
                    message = fastApiDetail(root.get("detail"));
                }
                code = fields.path("code").isString() ? fields.get("code").asString() : null;
                param = fields.path("param").isString() ? fields.get("param").asString() : null;
            }
        } catch (RuntimeException e) {
            // not JSON: the status is all there is
        }
        if (message != null && message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "…";
        }
        return new UpstreamFailure(Kind.ERROR, status, provider + " answered " + status,
                new Detail(message, code, param, seconds(retryAfter)));
    }

    private static Long seconds(String retryAfter) {
        if (retryAfter == null) {
            return null;
        }
        try {
            return Math.max(1, (long) Math.ceil(Double.parseDouble(retryAfter.strip())));
        } catch (NumberFormatException e) {
            return null; // an HTTP date: the gateway's default applies
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The provider's status, or 0 when there was none. */
    public int status() {
        return status;
    }

    public Detail detail() {
        return detail;
    }

    /**
     * The request itself was wrong (400, 413, 422: a malformed schema, a context too long): another upstream would
     * refuse it too, so it is not tried, and the upstream is not the worse for it. 401, 403 and 404 are not among
     * these: at a provider they mean our key or our catalog's model name is wrong, which the client cannot fix.
     */
    public boolean clientsFault() {
        return kind == Kind.ERROR && (status == 400 || status == 413 || status == 422);
    }

    /** The short reason recorded in the ledger's metadata. */
    public String reason() {
        if (kind == Kind.TIMEOUT) {
            return "upstream_timeout";
        }
        return status == 429 ? "upstream_rate_limited" : status / 100 == 4 ? "upstream_refused" : "upstream_error";
    }

    private static String fastApiDetail(JsonNode detail) {
        if (detail == null) {
            return null;
        }
        if (detail.isString()) {
            return detail.asString();
        }
        if (detail.path("error").isString()) {
            return detail.get("error").asString();
        }
        if (detail.isArray() && detail.path(0).path("msg").isString()) {
            return detail.get(0).get("msg").asString();
        }
        return null;
    }
}
