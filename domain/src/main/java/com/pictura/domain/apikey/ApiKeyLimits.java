package com.pictura.domain.apikey;

import java.time.Instant;
import java.util.List;

import com.pictura.domain.InvalidCommand;
import com.pictura.domain.wallet.SpendLimits;

/**
 * What an API key may do beyond its account's own limits: spend at most so much (the wallet enforces it with
 * every hold), call only some models, and work only until a moment.
 *
 * @param models    the catalog ids the key may call, or null for every model
 * @param expiresAt when the key stops working, or null for never
 */
public record ApiKeyLimits(SpendLimits spending, List<String> models, Instant expiresAt) {

    public static final ApiKeyLimits NONE = new ApiKeyLimits(SpendLimits.NONE, null, null);

    public ApiKeyLimits {
        spending = spending == null ? SpendLimits.NONE : spending;
        InvalidCommand.require(models == null || !models.isEmpty() && models.size() <= 100,
                "models lists between 1 and 100 model ids (leave it out to allow every model)");
        models = models == null ? null : List.copyOf(models);
    }

    public boolean allows(String model) {
        return models == null || models.contains(model);
    }

    public boolean hasExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
