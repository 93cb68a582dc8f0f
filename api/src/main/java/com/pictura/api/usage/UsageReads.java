package com.pictura.api.usage;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.pictura.api.web.ApiException;
import com.pictura.domain.wallet.Credits;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Reads of the usage read model ({@code usage_calls}), always for one wallet. */
@Service
public class UsageReads {

    static final int MAX_LIMIT = 200;

    private static final String SELECT = """
            select request_id, reservation_id, model, key_id, started_at, settled_at, outcome, held, cost,
                   input_tokens, output_tokens, images, latency_ms, upstream from usage_calls""";

    private final JdbcClient jdbc;

    public UsageReads(JdbcClient jdbc) {
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

    /** One day × model × key of usage: what a chart draws. */
    public record Total(LocalDate day, String model, String keyId, long calls, long inputTokens, long outputTokens,
                        long images, String cost) {
    }

    Optional<Call> byRequest(String wallet, String requestId) {
        return jdbc.sql(SELECT + " where wallet_id = ? and request_id = ? order by started_at limit 1")
                .params(wallet, requestId).query(UsageReads::call).optional();
    }

    /**
     * Newest first; {@code after} is the {@code next} of the previous page, or null for the first. The caller
     * decides whose wallet it may read (the holder their own, support staff any); this only reads it.
     */
    public Page page(String wallet, String after, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        List<Call> calls;
        if (after == null) {
            calls = jdbc.sql(SELECT + " where wallet_id = ? order by started_at desc, reservation_id desc limit ?")
                    .params(wallet, limit + 1).query(UsageReads::call).list();
        } else {
            String[] cursor = cursor(after);
            calls = jdbc.sql(SELECT + " where wallet_id = ? and (started_at, reservation_id) < (?::timestamptz, ?) "
                            + "order by started_at desc, reservation_id desc limit ?")
                    .params(wallet, cursor[0], cursor[1], limit + 1).query(UsageReads::call).list();
        }
        if (calls.size() <= limit) {
            return new Page(calls, null);
        }
        Call last = calls.get(limit - 1);
        String next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                (last.startedAt() + "|" + last.reservationId()).getBytes(StandardCharsets.UTF_8));
        return new Page(calls.subList(0, limit), next);
    }

    /** Per UTC day, model and key over [from, to), oldest day first. */
    List<Total> totals(String wallet, Instant from, Instant to) {
        return jdbc.sql("""
                        select (started_at at time zone 'UTC')::date as day, model, key_id, count(*),
                               coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
                               coalesce(sum(images), 0), coalesce(sum(cost), 0)
                          from usage_calls where wallet_id = ? and started_at >= ? and started_at < ?
                         group by 1, 2, 3 order by 1, 2, 3""")
                .params(wallet, Timestamp.from(from), Timestamp.from(to))
                .query((row, n) -> new Total(row.getObject(1, LocalDate.class), row.getString(2), row.getString(3),
                        row.getLong(4), row.getLong(5), row.getLong(6), row.getLong(7),
                        Credits.ofMicros(row.getLong(8)).toString()))
                .list();
    }

    /** Every call of [from, to), oldest first, handed over one at a time as it is read. */
    void each(String wallet, Instant from, Instant to, Consumer<Call> consumer) {
        jdbc.sql(SELECT + " where wallet_id = ? and started_at >= ? and started_at < ? order by started_at")
                .params(wallet, Timestamp.from(from), Timestamp.from(to))
                .query((RowCallbackHandler) row -> consumer.accept(call(row, 0)));
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

    private static Call call(ResultSet row, int n) throws SQLException {
        return new Call(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getTimestamp(5).toInstant(), row.getTimestamp(6) == null ? null : row.getTimestamp(6).toInstant(),
                row.getString(7), Credits.ofMicros(row.getLong(8)).toString(),
                row.getObject(9) == null ? null : Credits.ofMicros(row.getLong(9)).toString(),
                (Long) row.getObject(10), (Long) row.getObject(11), (Integer) row.getObject(12),
                (Long) row.getObject(13), row.getString(14));
    }
}
