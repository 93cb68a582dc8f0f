package com.pictura.domain.apikey;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.actor.Attributed;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Everything an API key can be asked to do. The secret itself never reaches the domain, only its hash. */
public sealed interface ApiKeyCommand extends Attributed {

    ApiKeyId keyId();

    /**
     * @param prefix     the first characters of the secret, shown so people can tell their keys apart
     * @param secretHash SHA-256 of the secret, hex; the secret is shown once and kept nowhere
     */
    record IssueApiKey(@TargetAggregateIdentifier ApiKeyId keyId, AccountId accountId, String name, String prefix,
                       String secretHash, ApiKeyLimits limits, Actor actor) implements ApiKeyCommand {

        /** A key with no limits of its own. */
        public IssueApiKey(ApiKeyId keyId, AccountId accountId, String name, String prefix, String secretHash,
                           Actor actor) {
            this(keyId, accountId, name, prefix, secretHash, ApiKeyLimits.NONE, actor);
        }
    }

    /** Replaces the key's limits as a whole. */
    record SetApiKeyLimits(@TargetAggregateIdentifier ApiKeyId keyId, ApiKeyLimits limits, Actor actor)
            implements ApiKeyCommand {
    }

    record RevokeApiKey(@TargetAggregateIdentifier ApiKeyId keyId, String reason, Actor actor)
            implements ApiKeyCommand {
    }
}
