package com.pictura.api.gateway;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The gateway's settings from {@code gateway.yml}. */
@ConfigurationProperties("pictura.gateway")
public record GatewayProperties(int maxBodyBytes, Duration reservationGrace, Duration idempotencyTtl,
                                Duration imageUrlTtl, RateLimits rateLimits) {

    /** Defaults per API key; an account's own limits (table {@code account_rate_limits}) take precedence. */
    public record RateLimits(int requestsPerMinute, long tokensPerMinute) {
    }

    public GatewayProperties {
        maxBodyBytes = maxBodyBytes <= 0 ? 1024 * 1024 : maxBodyBytes;
        reservationGrace = reservationGrace == null ? Duration.ofSeconds(60) : reservationGrace;
        idempotencyTtl = idempotencyTtl == null ? Duration.ofHours(24) : idempotencyTtl;
        imageUrlTtl = imageUrlTtl == null ? Duration.ofHours(1) : imageUrlTtl;
        rateLimits = rateLimits == null ? new RateLimits(600, 2_000_000) : rateLimits;
    }
}
