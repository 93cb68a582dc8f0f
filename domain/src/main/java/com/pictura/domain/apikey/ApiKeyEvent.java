package com.pictura.domain.apikey;

import com.pictura.domain.account.AccountId;
import org.axonframework.serialization.Revision;

public sealed interface ApiKeyEvent {

    ApiKeyId keyId();

    @Revision("1")
    record ApiKeyIssued(ApiKeyId keyId, AccountId accountId, String name, String prefix, String secretHash)
            implements ApiKeyEvent {
    }

    /** The key's limits from now on, replacing any earlier ones (an issued key without this event has none). */
    @Revision("1")
    record ApiKeyLimitsSet(ApiKeyId keyId, AccountId accountId, ApiKeyLimits limits) implements ApiKeyEvent {
    }

    @Revision("1")
    record ApiKeyRevoked(ApiKeyId keyId, AccountId accountId, String reason) implements ApiKeyEvent {
    }
}
