package com.pictura.api.gateway;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's settings from {@code gateway.yml}.
 *
 * @param reservationGrace   how much longer than its provider's total timeout a hold lives before the sweeper may
 *                           release it: the time a decided settlement has to land before it becomes a late one
 * @param settlementRetryFor how long a settlement that cannot be written (the database is away) is retried
 * @param settlementDrain    how long a planned shutdown waits for queued settlements
 * @param settlementThreads  settlements written at once (their commits share the database's flushes)
 * @param sweepInterval      how often expired holds are looked for
 * @param maxImageBodyBytes  the body limit of a chat request with image parts ({@code maxBodyBytes} for the rest)
 */
@ConfigurationProperties("pictura.gateway")
public record GatewayProperties(int maxBodyBytes, Duration reservationGrace, Duration idempotencyTtl,
                                Duration imageUrlTtl, RateLimits rateLimits, Duration settlementRetryFor,
                                Duration settlementDrain, int settlementThreads, Duration sweepInterval,
                                int maxImageBodyBytes) {

    /** Defaults per API key; an account's own limits (table {@code account_rate_limits}) take precedence. */
    public record RateLimits(int requestsPerMinute, long tokensPerMinute) {
    }

    public GatewayProperties {
        maxBodyBytes = maxBodyBytes <= 0 ? 1024 * 1024 : maxBodyBytes;
        reservationGrace = reservationGrace == null ? Duration.ofSeconds(60) : reservationGrace;
        idempotencyTtl = idempotencyTtl == null ? Duration.ofHours(1) : idempotencyTtl;
        imageUrlTtl = imageUrlTtl == null ? Duration.ofHours(1) : imageUrlTtl;
        rateLimits = rateLimits == null ? new RateLimits(600, 2_000_000) : rateLimits;
        settlementRetryFor = settlementRetryFor == null ? Duration.ofMinutes(10) : settlementRetryFor;
        settlementDrain = settlementDrain == null ? Duration.ofSeconds(30) : settlementDrain;
        settlementThreads = settlementThreads <= 0 ? 4 : settlementThreads;
        sweepInterval = sweepInterval == null ? Duration.ofSeconds(5) : sweepInterval;
        maxImageBodyBytes = maxImageBodyBytes <= 0 ? 20 * 1024 * 1024 : Math.max(maxImageBodyBytes, maxBodyBytes);
    }

    /** The most a body may have at {@code path}: chat requests may carry images. */
    public int bodyLimit(String path) {
        return "/v1/chat/completions".equals(path) ? maxImageBodyBytes : maxBodyBytes;
    }
}
