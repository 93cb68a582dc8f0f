package com.pictura.api.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.pictura.api.catalog.ModelEntry;
import com.pictura.api.web.ApiException;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.WalletBalance;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletRefusals.InsufficientCredits;
import com.pictura.domain.wallet.WalletRefusals.KeyLimitReached;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** The one wallet command on the request path: hold the worst case before the call, or answer 402. */
@Component
public class Holds {

    private final CommandGateway commands;
    private final Clock clock;

    public Holds(CommandGateway commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    /** A hold in place: its id, amount, and the wallet right after it. */
    public record Hold(ReservationId id, Credits amount, WalletBalance after, Instant startedAt) {
    }

    /**
     * Holds {@code amount} for a call to {@code model}, for {@code lifetime}.
     *
     * @param inputTokens for chat models, so a 402 can say how many output tokens would be affordable; else -1
     */
    public Hold reserve(KeyCaller caller, ModelEntry model, Credits amount, long inputTokens, Duration lifetime) {
        if (!caller.limits().allows(model.id())) {
            throw ApiException.forbidden("model_not_allowed", "This API key may not call " + model.id()
                    + "; it may call " + String.join(", ", caller.limits().models()) + ".");
        }
        ReservationId id = ReservationId.generate();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime);
        try {
            WalletBalance after = commands.sendAndWait(new ReserveCredits(caller.walletId(), id, amount,
                    caller.keyId(), model.id(), expiresAt, caller.limits().spending(), caller.actor()));
            return new Hold(id, amount, after, now);
        } catch (InsufficientCredits e) {
            throw insufficient(e, model, inputTokens);
        } catch (KeyLimitReached e) {
            throw new PaymentRequired(e.code(), e.getMessage(), caller.available().max(Credits.ZERO));
        }
    }

    private ApiException insufficient(InsufficientCredits e, ModelEntry model, long inputTokens) {
        Credits available = e.available().max(Credits.ZERO);
        String message = "Insufficient credits: this request needs up to " + e.needed() + " credits, but only "
                + available + " are available.";
        if (model.type() == ModelEntry.Type.CHAT && inputTokens >= 0) {
            long affordable = Pricing.affordableOutputTokens(available, inputTokens,
                    model.priceAt(clock.instant()).chat());
            message += affordable > 0
                    ? " At most " + affordable + " output tokens are affordable: lower max_tokens, or buy credits."
                    : " Not even the " + inputTokens + " input tokens are affordable: buy credits.";
        } else {
            message += " Buy credits, or ask for fewer or smaller images.";
        }
        return new PaymentRequired("insufficient_credits", message, available);
    }

    /** 402 in OpenAI's shape; carries the available balance for the header. */
    public static final class PaymentRequired extends ApiException {
        private final Credits available;

        PaymentRequired(String code, String message, Credits available) {
            super(HttpStatus.PAYMENT_REQUIRED, "insufficient_quota", code, null, message);
            this.available = available;
        }

        public Credits available() {
            return available;
        }
    }
}
