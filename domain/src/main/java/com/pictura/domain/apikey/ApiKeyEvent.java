package com.pictura.domain.apikey;

import com.pictura.domain.account.AccountId;
import org.axonframework.serialization.Revision;

public sealed interface ApiKeyEvent {

    ApiKeyId keyId();

    @Revision("1")
    record ApiKeyIssued(ApiKeyId keyId, AccountId accountId, String name, String prefix, String secretHash)
            implements ApiKeyEvent {
    }

    @Revision("1")
    record ApiKeyRevoked(ApiKeyId keyId, AccountId accountId, String reason) implements ApiKeyEvent {
    }
}
