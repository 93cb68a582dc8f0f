package com.pictura.api.usage;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.pictura.api.security.Caller;
import com.pictura.api.web.ApiException;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's usage per call, from the usage read model: one call by its request id (the {@code x-request-id}
 * of its answer, as OpenRouter's generation lookup), and every call newest first, keyset-paged. Another account's
 * request id is a 404, as an unknown one is.
 */
@RestController
@RequestMapping("/api/usage")
public class UsageController {

    static final int MAX_LIMIT = 200;

    private final JdbcClient jdbc;

    public UsageController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @param outcome {@code open} (in flight), {@code charged}, {@code released} or {@code expired} */
    public record Call(String requestId, String reservationId, String model, String keyId, Instant startedAt,
                       Instant settledAt, String outcome, String held, String cost, Long inputTokens,
                       Long outputTokens, Integer images, Long latencyMs, String upstream) {
    }

    /** @param next the cursor of the following page, or null after the last */
    public record Page(List<Call> calls, String next) {
    }

    @GetMapping("/{requestId}")
    Call call(Caller caller, @PathVariable String requestId) {
        return jdbc.sql(SELECT + " where wallet_id = ? and request_id = ? order by started_at limit 1")
                .params(WalletId.of(caller.accountId()).value(), requestId).query(UsageController::call).optional()
                .orElseThrow(() -> ApiException.notFound("No call with this request id on your account (a call "
                        + "shows here within moments of its answer)."));
    }

    @GetMapping
    Page calls(Caller caller, @RequestParam(required = false) String after,
               @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        String wallet = WalletId.of(caller.accountId()).value();
        List<Call> calls;
        if (after == null) {
            calls = jdbc.sql(SELECT + " where wallet_id = ? order by started_at desc, reservation_id desc limit ?")
                    .params(wallet, limit + 1).query(UsageController::call).list();
        } else {
            String[] cursor = cursor(after);
            calls = jdbc.sql(SELECT + " where wallet_id = ? and (started_at, reservation_id) < (?::timestamptz, ?) "
                            + "order by started_at desc, reservation_id desc limit ?")
                    .params(wallet, cursor[0], cursor[1], limit + 1).query(UsageController::call).list();
        }
        if (calls.size() <= limit) {
            return new Page(calls, null);
        }
        Call last = calls.get(limit - 1);
        String next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                (last.startedAt() + "|" + last.reservationId()).getBytes(StandardCharsets.UTF_8));
        return new Page(calls.subList(0, limit), next);
    }

    private static String[] cursor(String after) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8).split("\\|");
            if (parts.length == 2) {
                Instant.parse(parts[0]);
                return parts;
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            // reported below
        }
        throw ApiException.invalid("after", "after must be the next cursor of a previous page");
    }

    private static final String SELECT = """
            select request_id, reservation_id, model, key_id, started_at, settled_at, outcome, held, cost,
                   input_tokens, output_tokens, images, latency_ms, upstream from usage_calls""";

    private static Call call(ResultSet row, int n) throws SQLException {
        return new Call(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getTimestamp(5).toInstant(), row.getTimestamp(6) == null ? null : row.getTimestamp(6).toInstant(),
                row.getString(7), Credits.ofMicros(row.getLong(8)).toString(),
                row.getObject(9) == null ? null : Credits.ofMicros(row.getLong(9)).toString(),
                (Long) row.getObject(10), (Long) row.getObject(11), (Integer) row.getObject(12),
                (Long) row.getObject(13), row.getString(14));
    }
}
