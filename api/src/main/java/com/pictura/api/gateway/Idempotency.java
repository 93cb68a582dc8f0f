package com.pictura.api.gateway;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.pictura.api.security.Secrets;
import com.pictura.api.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code Idempotency-Key} on {@code POST /v1/*}: the first request with a key runs and its result is kept for
 * {@code pictura.gateway.idempotency-ttl}; a retry gets that result (status, and body for non-streaming calls)
 * and is charged nothing more. The same key with a different body is refused (422); a retry while the first is
 * still running gets 409. Results that say "try again" (402, 429, 5xx, a stream that broke off) are not kept, so a
 * retry really retries. A claim in progress lasts no longer than the call's hold: should its node die, the key is
 * free again when the hold expires, not a day later.
 * Stored in PostgreSQL, unique per API key and idempotency key: it holds across nodes.
 */
@Component
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";

    private final JdbcClient jdbc;
    private final GatewayProperties properties;
    private final Clock clock;

    public Idempotency(JdbcClient jdbc, GatewayProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** A stored first result. {@code body} is null for a stream. */
    public record Stored(int status, String contentType, byte[] body) {
    }

    /** A claimed key: the request runs, then {@link #complete} or {@link #abandon} it. */
    public record Claim(String keyId, String idempotencyKey) {
    }

    /**
     * Claims {@code idempotencyKey} for this request, or returns the stored result of the first one.
     *
     * @return a {@link Claim} to proceed with, or a {@link Stored} result to replay
     */
    public Object begin(String keyId, String idempotencyKey, String path, byte[] body, Duration inProgressFor) {
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
            throw ApiException.invalid(HEADER, "Idempotency-Key must be 1 to 255 characters.");
        }
        String hash = Secrets.sha256(path + "\n" + java.util.HexFormat.of().formatHex(body));
        Instant now = clock.instant();
        int claimed = jdbc.sql("""
                        insert into idempotency_records
                               (key_id, idempotency_key, request_hash, state, created_at, expires_at)
                        values (?, ?, ?, 'in_progress', ?, ?)
                        on conflict (key_id, idempotency_key) do update
                           set request_hash = excluded.request_hash, state = 'in_progress', status = null,
                               content_type = null, body = null, created_at = excluded.created_at,
                               expires_at = excluded.expires_at
                         where idempotency_records.expires_at < ?""")
                .params(keyId, idempotencyKey, hash, Timestamp.from(now), Timestamp.from(now.plus(inProgressFor)),
                        Timestamp.from(now))
                .update();
        if (claimed == 1) {
            return new Claim(keyId, idempotencyKey);
        }
        record Row(String hash, String state, Integer status, String contentType, byte[] body) {
        }
        Row row = jdbc.sql("select request_hash, state, status, content_type, body from idempotency_records "
                        + "where key_id = ? and idempotency_key = ?")
                .params(keyId, idempotencyKey)
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3),
                        rs.getString(4), rs.getBytes(5)))
                .optional()
                .orElse(null);
        if (row == null) {
            return begin(keyId, idempotencyKey, path, body, inProgressFor); // abandoned in between: claim again
        }
        if (!row.hash().equals(hash)) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid_request_error",
                    "idempotency_key_reused", HEADER, "This Idempotency-Key was used with a different request "
                    + "body; use a new key for a new request.");
        }
        if (!"done".equals(row.state())) {
            throw ApiException.conflict("idempotency_in_progress",
                    "A request with this Idempotency-Key is still in progress; retry when it has finished.");
        }
        return new Stored(row.status(), row.contentType(), row.body());
    }

    public void complete(Claim claim, int status, String contentType, byte[] body) {
        if (claim == null) {
            return;
        }
        if (status == 402 || status == 429 || status >= 500) {
            abandon(claim);
            return;
        }
        jdbc.sql("update idempotency_records set state = 'done', status = ?, content_type = ?, body = ?, "
                        + "expires_at = ? where key_id = ? and idempotency_key = ?")
                .params(status, contentType, body, Timestamp.from(clock.instant().plus(properties.idempotencyTtl())),
                        claim.keyId(), claim.idempotencyKey())
                .update();
    }

    public void abandon(Claim claim) {
        if (claim == null) {
            return;
        }
        jdbc.sql("delete from idempotency_records where key_id = ? and idempotency_key = ? and state = 'in_progress'")
                .params(claim.keyId(), claim.idempotencyKey())
                .update();
    }
}
