package com.pictura.api.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.pictura.api.security.Secrets;
import com.pictura.api.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
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
 *
 * <p>The kept body is a model's output (Terms §8: outputs are not stored beyond what the request needs), so it is
 * kept only for the replay window (1 hour by default), encrypted with AES-256-GCM under
 * {@code pictura.gateway.idempotency-secret} (bound to its API key and idempotency key, so a body cannot be moved
 * to another row), and deleted by {@code Housekeeping} within a minute of its expiry. Without a configured secret
 * each node draws its own: a replay then works on the node that kept the result, and another node answers 409
 * {@code idempotency_replay_unavailable} rather than running the call again. See docs/privacy.md.
 */
@Component
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";

    private static final Logger log = LoggerFactory.getLogger(Idempotency.class);
    /** The first byte of an encrypted body: its format, so a later format can be told apart. */
    private static final byte FORMAT_AES_GCM = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final JdbcClient jdbc;
    private final GatewayProperties properties;
    private final Clock clock;
    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public Idempotency(JdbcClient jdbc, GatewayProperties properties, Clock clock,
                       @Value("${pictura.gateway.idempotency-secret:}") String secret) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.key = key(secret);
    }

    private static SecretKey key(String secret) {
        if (secret == null || secret.isBlank()) {
            log.info("No pictura.gateway.idempotency-secret (PICTURA_IDEMPOTENCY_SECRET): idempotent results are "
                    + "encrypted with a key of this process, so only this node can replay them");
            try {
                KeyGenerator generator = KeyGenerator.getInstance("AES");
                generator.init(256);
                return generator.generateKey();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(secret.strip());
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("pictura.gateway.idempotency-secret (PICTURA_IDEMPOTENCY_SECRET) must "
                    + "be 32 random bytes in base64, e.g. the output of: openssl rand -base64 32");
        }
        return new SecretKeySpec(bytes, "AES");
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
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 255
                || idempotencyKey.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.invalid(HEADER, "Idempotency-Key must be 1 to 255 printable characters.");
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
        return new Stored(row.status(), row.contentType(),
                row.body() == null ? null : decrypt(row.body(), keyId, idempotencyKey));
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
                .params(status, contentType, body == null ? null : encrypt(body, claim.keyId(), claim.idempotencyKey()),
                        Timestamp.from(clock.instant().plus(properties.idempotencyTtl())),
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

    private byte[] encrypt(byte[] plain, String keyId, String idempotencyKey) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associated(keyId, idempotencyKey));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + IV_BYTES + sealed.length).put(FORMAT_AES_GCM).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] decrypt(byte[] stored, String keyId, String idempotencyKey) {
        try {
            if (stored.length <= 1 + IV_BYTES || stored[0] != FORMAT_AES_GCM) {
                throw new GeneralSecurityException("not an encrypted result");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, IV_BYTES));
            cipher.updateAAD(associated(keyId, idempotencyKey));
            return cipher.doFinal(stored, 1 + IV_BYTES, stored.length - 1 - IV_BYTES);
        } catch (GeneralSecurityException e) {
            // Kept by a node with another key (no shared secret configured), or under a key since rotated. Running
            // the call again would charge it twice: the client is told to use a new key instead.
            throw ApiException.conflict("idempotency_replay_unavailable", "The first result of this Idempotency-Key "
                    + "cannot be replayed here; use a new key to make the request again.");
        }
    }

    private static byte[] associated(String keyId, String idempotencyKey) {
        return (keyId + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8);
    }
}
