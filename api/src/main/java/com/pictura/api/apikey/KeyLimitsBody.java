package com.pictura.api.apikey;

import java.time.Instant;
import java.util.List;

import com.pictura.api.catalog.Catalog;
import com.pictura.api.web.ApiException;
import com.pictura.api.web.Instants;
import com.pictura.domain.apikey.ApiKeyLimits;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.SpendLimits;

/**
 * A key's limits as the API shows and takes them: credits as decimals, models as catalog ids, the expiry as an
 * ISO-8601 instant. Every field may be left out (no limit of that kind); each is checked before anything is
 * written.
 */
public record KeyLimitsBody(String dailyCreditLimit, String monthlyCreditLimit, String lifetimeCreditLimit,
                               List<String> models, String expiresAt) {

    static KeyLimitsBody of(ApiKeyLimits limits) {
        SpendLimits spending = limits.spending();
        return new KeyLimitsBody(text(spending.daily()), text(spending.monthly()), text(spending.lifetime()),
                limits.models(), limits.expiresAt() == null ? null : limits.expiresAt().toString());
    }

    private static String text(Credits credits) {
        return credits == null ? null : credits.toString();
    }

    ApiKeyLimits toLimits(Catalog catalog, Instant now) {
        SpendLimits spending = new SpendLimits(credits(dailyCreditLimit, "dailyCreditLimit"),
                credits(monthlyCreditLimit, "monthlyCreditLimit"), credits(lifetimeCreditLimit, "lifetimeCreditLimit"));
        if (models != null) {
            if (models.isEmpty() || models.size() > 100) {
                throw ApiException.invalid("models", "models lists 1 to 100 model ids; leave it out to allow every model");
            }
            for (String model : models) {
                if (model == null || catalog.find(model).isEmpty()) {
                    throw ApiException.invalid("models", "No such model: " + model + " (GET /v1/models lists them).");
                }
            }
        }
        return new ApiKeyLimits(spending, models == null ? null : models.stream().distinct().toList(), expiry(now));
    }

    private static Credits credits(String text, String param) {
        if (text == null) {
            return null;
        }
        Credits limit;
        try {
            limit = Credits.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(param, param + ": " + e.getMessage());
        }
        if (!limit.isPositive()) {
            throw ApiException.invalid(param, param + " must be more than 0 credits; leave it out for no limit.");
        }
        return limit;
    }

    private Instant expiry(Instant now) {
        Instant at = Instants.parse("expiresAt", expiresAt);
        if (at != null && !at.isAfter(now)) {
            throw ApiException.invalid("expiresAt", "expiresAt must be in the future.");
        }
        return at;
    }
}
