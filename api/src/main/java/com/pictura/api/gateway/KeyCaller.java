package com.pictura.api.gateway;

import com.pictura.domain.actor.Actor;
import com.pictura.domain.apikey.ApiKeyLimits;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletId;

/**
 * The API key behind a {@code /v1} request, resolved by {@link ApiKeyAuthentication}.
 *
 * @param available the wallet's available credits as its read model last saw them (for headers only; the wallet
 *                  itself decides every hold)
 * @param limits    the key's own limits: models and spending, checked with the hold (expiry is checked before)
 */
public record KeyCaller(String keyId, String accountId, WalletId walletId, Credits available, Credits reserved,
                        int requestsPerMinute, long tokensPerMinute, ApiKeyLimits limits) {

    public static final String ATTRIBUTE = KeyCaller.class.getName();

    public Actor actor() {
        return Actor.account(accountId);
    }
}
