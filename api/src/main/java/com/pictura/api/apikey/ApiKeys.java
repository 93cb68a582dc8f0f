package com.pictura.api.apikey;

import com.pictura.api.security.Caller;
import com.pictura.api.security.Secrets;
import com.pictura.api.web.ApiException;
import com.pictura.api.web.Text;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.apikey.ApiKeyCommand.IssueApiKey;
import com.pictura.domain.apikey.ApiKeyCommand.RevokeApiKey;
import com.pictura.domain.apikey.ApiKeyCommand.SetApiKeyLimits;
import com.pictura.domain.apikey.ApiKeyLimits;
import com.pictura.domain.apikey.ApiKeyId;
import com.pictura.projections.apikey.ApiKeyRepository;
import com.pictura.projections.apikey.ApiKeyRow;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Issuing and revoking API keys. */
@Service
public class ApiKeys {

    public static final String SECRET_PREFIX = "pk_";
    /** How much of the secret is kept for display: enough to tell keys apart, far too little to guess the rest. */
    static final int DISPLAY_PREFIX_LENGTH = 10;

    private final CommandGateway commands;
    private final ApiKeyRepository keys;
    private final JdbcClient jdbc;
    private final int maxActive;

    public ApiKeys(CommandGateway commands, ApiKeyRepository keys, JdbcClient jdbc,
                   @Value("${pictura.keys.max-active-per-account:25}") int maxActive) {
        this.commands = commands;
        this.keys = keys;
        this.jdbc = jdbc;
        this.maxActive = maxActive;
    }

    public record Issued(ApiKeyRow key, String secret) {
    }

    /**
     * Issues a key, to an account whose email is verified. The account row is locked for the duration, so
     * concurrent requests cannot together pass the limit on active keys.
     */
    @Transactional
    public Issued issue(AccountId account, String name, ApiKeyLimits limits, Actor actor) {
        if (name == null || name.isBlank() || name.strip().length() > 100) {
            throw ApiException.invalid("name", "name is required (100 characters at most)");
        }
        Text.plain(name, "name");
        boolean verified = jdbc.sql("select email_verified from accounts where account_id = ? for update")
                .param(account.value()).query(Boolean.class).optional()
                .orElseThrow(() -> ApiException.notFound("No such account."));
        if (!verified) {
            // A key spends the account's credits unattended: its owner must be reachable first.
            throw ApiException.forbidden("email_not_verified", "Confirm your email address first: open the link "
                    + "in the mail we sent (or ask for a fresh one, POST /api/me/verification-mail).");
        }
        if (keys.countByAccountIdAndRevokedAtIsNull(account.value()) >= maxActive) {
            throw ApiException.conflict("too_many_keys",
                    "An account may have at most " + maxActive + " active keys; revoke one first.");
        }
        String secret = Secrets.generate(SECRET_PREFIX);
        ApiKeyId id = ApiKeyId.generate();
        commands.sendAndWait(new IssueApiKey(id, account, name.strip(), secret.substring(0, DISPLAY_PREFIX_LENGTH),
                Secrets.sha256(secret), limits, actor));
        return new Issued(keys.findById(id.value()).orElseThrow(), secret);
    }

    /** Replaces the limits of one of the caller's own keys; someone else's key is reported as not found. */
    public ApiKeyRow limit(Caller caller, String keyId, ApiKeyLimits limits) {
        ApiKeyRow key = owned(caller, keyId);
        commands.sendAndWait(new SetApiKeyLimits(new ApiKeyId(key.keyId()), limits, caller.asAccount()));
        return keys.findById(keyId).orElseThrow();
    }

    /** Revokes one of the caller's own keys; someone else's key is reported as not found. */
    public void revoke(Caller caller, String keyId, String reason) {
        commands.sendAndWait(new RevokeApiKey(new ApiKeyId(owned(caller, keyId).keyId()), reason, caller.asAccount()));
    }

    private ApiKeyRow owned(Caller caller, String keyId) {
        return keys.findById(keyId).filter(k -> k.accountId().equals(caller.accountId().value()))
                .orElseThrow(() -> ApiException.notFound("No such API key."));
    }
}
