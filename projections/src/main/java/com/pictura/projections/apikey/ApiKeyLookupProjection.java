package com.pictura.projections.apikey;

import java.time.Instant;

import com.pictura.domain.apikey.ApiKeyEvent.ApiKeyIssued;
import com.pictura.domain.apikey.ApiKeyEvent.ApiKeyLimitsSet;
import com.pictura.domain.apikey.ApiKeyEvent.ApiKeyRevoked;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/**
 * The API key table. Subscribing, like the accounts table: a key works the moment it is issued and stops the
 * moment it is revoked, on every node, because the row changes in the transaction that stores the event.
 */
@Component
@ProcessingGroup(ApiKeyLookupProjection.GROUP)
public class ApiKeyLookupProjection {

    public static final String GROUP = "api-key-lookup";

    private final ApiKeyRepository keys;

    public ApiKeyLookupProjection(ApiKeyRepository keys) {
        this.keys = keys;
    }

    @EventHandler
    void on(ApiKeyIssued e, @Timestamp Instant at) {
        keys.save(new ApiKeyRow(e.keyId().value(), e.accountId().value(), e.name(), e.prefix(), e.secretHash(), at));
    }

    @EventHandler
    void on(ApiKeyLimitsSet e) {
        keys.findById(e.keyId().value()).ifPresent(key -> key.limit(e.limits()));
    }

    @EventHandler
    void on(ApiKeyRevoked e, @Timestamp Instant at) {
        keys.findById(e.keyId().value()).ifPresent(key -> key.revoke(at));
    }
}
