package com.pictura.api.gateway;

import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;

/**
 * What every paid {@code POST /v1} call does after validation and before the provider is called: replay the
 * stored answer of an {@code Idempotency-Key} seen before, or claim the key; then hold the worst case. A hold
 * that fails gives the key back, so a retry after topping up really retries.
 */
final class Admission {

    /** Either the replay of an earlier answer, or a claimed key (null without one) and a hold. */
    record Ticket(ResponseEntity<byte[]> replay, Idempotency.Claim claim, Holds.Hold hold) {
    }

    private Admission() {
    }

    static Ticket admit(Idempotency idempotency, KeyCaller caller, String idempotencyKey, HttpServletRequest request,
                        byte[] body, HttpServletResponse response, Supplier<Holds.Hold> reserve) {
        Idempotency.Claim claim = null;
        if (idempotencyKey != null) {
            Object begun = idempotency.begin(caller.keyId(), idempotencyKey, request.getRequestURI(), body);
            if (begun instanceof Idempotency.Stored stored) {
                return new Ticket(Replays.of(stored), null, null);
            }
            claim = (Idempotency.Claim) begun;
        }
        Holds.Hold hold;
        try {
            hold = reserve.get();
        } catch (Holds.PaymentRequired e) {
            idempotency.abandon(claim);
            response.setHeader(V1Headers.CREDITS_REMAINING, e.available().toString());
            throw e;
        } catch (RuntimeException e) {
            idempotency.abandon(claim);
            throw e;
        }
        response.setHeader(V1Headers.CREDITS_REMAINING, hold.after().available().toString());
        return new Ticket(null, claim, hold);
    }
}
