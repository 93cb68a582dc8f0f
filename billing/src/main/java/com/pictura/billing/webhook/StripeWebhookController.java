package com.pictura.billing.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.pictura.billing.webhook.StripeWebhook.InvalidWebhook;
import com.pictura.billing.webhook.StripeWebhook.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stripe → Pictura. 200 once an event is applied (or was before, or is of no use to Pictura); 400 for a bad
 * signature, an old timestamp or a tampered body, with nothing changed; 5xx when the ledger or Stripe cannot be
 * reached, so that Stripe retries later.
 */
@RestController
public class StripeWebhookController {

    public static final String PATH = "/billing/stripe/webhook";
    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

    private final StripeWebhook webhook;

    public StripeWebhookController(StripeWebhook webhook) {
        this.webhook = webhook;
    }

    @PostMapping(PATH)
    ResponseEntity<Map<String, Object>> receive(@RequestBody(required = false) byte[] body,
                                                @RequestHeader(value = "Stripe-Signature", required = false) String signature) {
        // The signature covers the exact bytes sent, so the body is read raw, never re-encoded.
        String payload = body == null ? null : new String(body, StandardCharsets.UTF_8);
        try {
            Result result = webhook.handle(payload, signature);
            return ResponseEntity.ok(Map.of("received", true, "id", result.eventId(),
                    "outcome", result.outcome().name().toLowerCase()));
        } catch (InvalidWebhook e) {
            log.warn("Refused a Stripe webhook: {}", e.getMessage());
            return ResponseEntity.badRequest().body(error(e.getMessage(), "invalid_request_error", "invalid_webhook"));
        } catch (RuntimeException e) {
            log.error("A Stripe webhook could not be applied; Stripe will retry it", e);
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(error("The ledger could not be written; retry later.", "server_error", "ledger_unavailable"));
        }
    }

    private static Map<String, Object> error(String message, String type, String code) {
        return Map.of("error", Map.of("message", message, "type", type, "code", code));
    }
}
