package com.pictura.api.gateway;

import java.time.Clock;
import java.time.Duration;

import com.pictura.api.catalog.ModelEntry;
import com.pictura.domain.wallet.Credits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Admits a paid {@code POST /v1} call after validation and before the provider is called: replays the stored
 * answer of an {@code Idempotency-Key} seen before, or claims the key; then holds the worst case. A hold that
 * fails gives the key back, so a retry after topping up really retries.
 */
@Component
public class PaidCalls {

    private final Idempotency idempotency;
    private final Holds holds;
    private final Settlements settlements;
    private final GatewayProperties properties;
    private final Clock clock;

    public PaidCalls(Idempotency idempotency, Holds holds, Settlements settlements, GatewayProperties properties,
                     Clock clock) {
        this.idempotency = idempotency;
        this.holds = holds;
        this.settlements = settlements;
        this.properties = properties;
        this.clock = clock;
    }

    /** Either the replay of an earlier answer, or the admitted call. */
    public record Admitted(ResponseEntity<byte[]> replay, PaidCall call) {
    }

    /**
     * @param inputTokens for chat models, so a 402 can say how many output tokens would be affordable; else -1
     */
    public Admitted admit(KeyCaller caller, String idempotencyKey, HttpServletRequest request, byte[] body,
                          HttpServletResponse response, ModelEntry model, Credits worstCase, long inputTokens) {
        Idempotency.Claim claim = null;
        if (idempotencyKey != null) {
            Object begun = idempotency.begin(caller.keyId(), idempotencyKey, request.getRequestURI(), body,
                    holdLifetime(model));
            if (begun instanceof Idempotency.Stored stored) {
                return new Admitted(Replays.of(stored), null);
            }
            claim = (Idempotency.Claim) begun;
        }
        Holds.Hold hold;
        try {
            hold = holds.reserve(caller, model, worstCase, inputTokens, holdLifetime(model));
        } catch (Holds.PaymentRequired e) {
            idempotency.abandon(claim);
            response.setHeader(V1Headers.CREDITS_REMAINING, e.available().toString());
            throw e;
        } catch (RuntimeException e) {
            idempotency.abandon(claim);
            throw e;
        }
        response.setHeader(V1Headers.CREDITS_REMAINING, hold.after().available().toString());
        return new Admitted(null, new PaidCall(caller, callLimit(model), hold, claim, idempotency, settlements, clock));
    }

    /**
     * How long a call may run: its providers' connect + total timeouts, added up over the model's upstreams, as a
     * call may fall back through all of them. Every timeout of the request path derives from it, so a provider's
     * timeout always fires first and the call is settled by it.
     */
    public static Duration callLimit(ModelEntry model) {
        Duration limit = Duration.ZERO;
        for (ModelEntry.Upstream upstream : model.upstreams()) {
            limit = limit.plus(upstream.provider().connectTimeout()).plus(upstream.provider().totalTimeout());
        }
        return limit;
    }

    /** A hold outlives its call by the grace period: the time its settlement has to land. */
    private Duration holdLifetime(ModelEntry model) {
        return callLimit(model).plus(properties.reservationGrace());
    }
}
