package com.pictura.api.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.pictura.api.security.Secrets;
import com.pictura.api.web.ApiException;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletId;
import com.pictura.domain.apikey.ApiKeyLimits;
import com.pictura.projections.apikey.ApiKeyRepository;
import com.pictura.projections.apikey.ApiKeyRow;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * {@code Authorization: Bearer pk_…} on {@code /v1}. One query per request against the key table, which is
 * written in the transaction that stores each key event: a key works the moment it is issued and fails the
 * moment it is revoked, on every node, with no cache to go stale.
 */
@Component
public class ApiKeyAuthentication implements HandlerInterceptor {

    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final ApiKeyRepository keys;
    private final GatewayProperties properties;
    private final Clock clock;
    /** When this node last wrote "last used" per key: the write happens at most once a minute per key and node. */
    private final Map<String, Instant> touched = new ConcurrentHashMap<>();

    public ApiKeyAuthentication(JdbcClient jdbc, ApiKeyRepository keys, GatewayProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
    }

    private record Row(String keyId, String accountId, boolean revoked, String status, long available,
                       long reserved, Integer rpm, Long tpm, ApiKeyLimits limits) {
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("Missing API key: send 'Authorization: Bearer pk_...'.");
        }
        String secret = header.substring(7).strip();
        if (!secret.startsWith("pk_") || secret.length() > 200) {
            throw ApiException.unauthorized("Invalid API key.");
        }
        Row row = jdbc.sql("""
                        select k.key_id, k.account_id, k.revoked_at is not null as revoked, a.status,
                               coalesce(b.promotional + b.paid, 0) as available, coalesce(b.reserved, 0) as reserved,
                               l.requests_per_minute, l.tokens_per_minute,
                               k.daily_limit, k.monthly_limit, k.lifetime_limit, k.allowed_models, k.expires_at
                        from api_keys k
                        join accounts a on a.account_id = k.account_id
                        left join wallet_balances b on b.account_id = k.account_id
                        left join account_rate_limits l on l.account_id = k.account_id
                        where k.secret_hash = ?""")
                .param(Secrets.sha256(secret))
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), (Integer) rs.getObject(7),
                        rs.getObject(8) == null ? null : rs.getLong(8),
                        ApiKeyRow.limits((Long) rs.getObject(9), (Long) rs.getObject(10), (Long) rs.getObject(11),
                                rs.getString(12), instant(rs.getTimestamp(13)))))
                .optional()
                .orElseThrow(() -> ApiException.unauthorized("Invalid API key."));
        if (row.revoked()) {
            throw ApiException.unauthorized("This API key has been revoked.");
        }
        if (row.limits().hasExpiredAt(clock.instant())) {
            throw ApiException.unauthorized("This API key expired at " + row.limits().expiresAt() + ".");
        }
        if (!"ACTIVE".equals(row.status())) {
            throw ApiException.forbidden("account_" + row.status().toLowerCase(),
                    "This account is " + row.status().toLowerCase() + "; its API keys cannot be used.");
        }
        KeyCaller caller = new KeyCaller(row.keyId(), row.accountId(),
                WalletId.of(new com.pictura.domain.account.AccountId(row.accountId())),
                Credits.ofMicros(row.available()), Credits.ofMicros(row.reserved()),
                row.rpm() != null ? row.rpm() : properties.rateLimits().requestsPerMinute(),
                row.tpm() != null ? row.tpm() : properties.rateLimits().tokensPerMinute(), row.limits());
        request.setAttribute(KeyCaller.ATTRIBUTE, caller);
        response.setHeader(V1Headers.CREDITS_REMAINING, caller.available().max(Credits.ZERO).toString());
        touch(caller.keyId());
        return true;
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private void touch(String keyId) {
        Instant now = clock.instant();
        Instant last = touched.get(keyId);
        if (last == null || last.isBefore(now.minus(TOUCH_EVERY))) {
            touched.put(keyId, now);
            keys.touch(keyId, now, now.minus(TOUCH_EVERY));
        }
    }
}
