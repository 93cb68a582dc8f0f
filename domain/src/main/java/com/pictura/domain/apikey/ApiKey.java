package com.pictura.domain.apikey;

import static com.pictura.domain.InvalidCommand.require;
import static com.pictura.domain.InvalidCommand.requireText;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.apikey.ApiKeyCommand.IssueApiKey;
import com.pictura.domain.apikey.ApiKeyCommand.RevokeApiKey;
import com.pictura.domain.apikey.ApiKeyCommand.SetApiKeyLimits;
import com.pictura.domain.apikey.ApiKeyEvent.ApiKeyIssued;
import com.pictura.domain.apikey.ApiKeyEvent.ApiKeyLimitsSet;
import com.pictura.domain.apikey.ApiKeyEvent.ApiKeyRevoked;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;

/** A personal API key. Once revoked it stays revoked; a new key is a new aggregate. */
@Revision("2") // of the snapshot shape: bump on any change of fields; other revisions are ignored
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class ApiKey {

    @AggregateIdentifier
    private ApiKeyId keyId;
    private AccountId accountId;
    private boolean revoked;
    private ApiKeyLimits limits = ApiKeyLimits.NONE;

    protected ApiKey() {
        // for Axon
    }

    @CommandHandler
    public ApiKey(IssueApiKey cmd) {
        require(cmd.accountId() != null, "accountId is required");
        String name = requireText(cmd.name(), "name");
        require(name.length() <= 100, "name is too long (100 characters at most)");
        require(cmd.secretHash() != null && cmd.secretHash().matches("[0-9a-f]{64}"),
                "secretHash must be a hex SHA-256");
        require(cmd.prefix() != null && !cmd.prefix().isBlank() && cmd.prefix().length() <= 16,
                "prefix is required (16 characters at most)");
        apply(new ApiKeyIssued(cmd.keyId(), cmd.accountId(), name, cmd.prefix(), cmd.secretHash()));
        if (cmd.limits() != null && !cmd.limits().equals(ApiKeyLimits.NONE)) {
            apply(new ApiKeyLimitsSet(cmd.keyId(), cmd.accountId(), cmd.limits()));
        }
    }

    @CommandHandler
    public void handle(SetApiKeyLimits cmd) {
        require(cmd.limits() != null, "limits are required");
        require(!revoked, "this key is revoked; its limits can no longer change");
        if (!cmd.limits().equals(limits)) {
            apply(new ApiKeyLimitsSet(keyId, accountId, cmd.limits()));
        }
    }

    @CommandHandler
    public void handle(RevokeApiKey cmd) {
        String reason = requireText(cmd.reason(), "reason");
        if (!revoked) {
            apply(new ApiKeyRevoked(keyId, accountId, reason));
        }
    }

    @EventSourcingHandler
    void on(ApiKeyIssued e) {
        keyId = e.keyId();
        accountId = e.accountId();
    }

    @EventSourcingHandler
    void on(ApiKeyLimitsSet e) {
        limits = e.limits();
    }

    @EventSourcingHandler
    void on(ApiKeyRevoked e) {
        revoked = true;
    }
}
