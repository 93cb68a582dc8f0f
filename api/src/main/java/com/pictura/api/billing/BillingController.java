package com.pictura.api.billing;

import java.util.List;

import com.pictura.api.security.Caller;
import com.pictura.api.web.ApiException;
import com.pictura.billing.BillingProperties;
import com.pictura.billing.CreditPack;
import com.pictura.billing.checkout.Checkout;
import com.stripe.exception.StripeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Buying credits: the packs on sale, and a Stripe Checkout Session for one of them. */
@RestController
@RequestMapping("/api/billing")
public class BillingController {

    private static final Logger log = LoggerFactory.getLogger(BillingController.class);

    private final BillingProperties properties;
    private final Checkout checkout;

    public BillingController(BillingProperties properties, Checkout checkout) {
        this.properties = properties;
        this.checkout = checkout;
    }

    public record Pack(String id, String credits, String price, long priceCents, String currency) {
        static Pack of(CreditPack pack, String currency) {
            return new Pack(pack.id(), pack.amount().toString(), pack.price(), pack.priceCents(), currency);
        }
    }

    public record Packs(List<Pack> data, String currency) {
    }

    /** Public: prices are no secret. */
    @GetMapping("/packs")
    Packs packs() {
        return new Packs(properties.packs().stream().map(p -> Pack.of(p, properties.currency())).toList(),
                properties.currency());
    }

    public record CheckoutRequest(String packId) {
    }

    public record CheckoutStarted(String id, String url, Pack pack) {
    }

    @PostMapping("/checkout")
    ResponseEntity<CheckoutStarted> checkout(Caller caller, @RequestBody(required = false) CheckoutRequest request,
                                             @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey) {
        if (request == null) {
            throw ApiException.invalid("packId", "a JSON body with a packId is required");
        }
        try {
            var started = checkout.start(caller.accountId(), request.packId(), idempotencyKey);
            return ResponseEntity.status(HttpStatus.CREATED)
                    .body(new CheckoutStarted(started.sessionId(), started.url(), Pack.of(started.pack(), started.currency())));
        } catch (StripeException e) {
            log.error("Stripe refused or could not be reached to create a checkout session (request id {})",
                    e.getRequestId(), e);
            throw new ApiException(HttpStatus.BAD_GATEWAY, "api_error", "payment_provider_unavailable", null,
                    "The payment provider could not start a checkout; please retry.");
        }
    }
}
