package com.pictura.billing.checkout;

import java.net.URI;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where Stripe sends the buyer back: on to the dashboard's own pages, which wait for the credits. Credits arrive
 * with the webhook, not with this redirect (which anybody can open), so the redirect carries nothing but the
 * session id. Relative, so that it stays on whichever address the browser used (behind a proxy too).
 */
@RestController
public class CheckoutReturnPages {

    private static final Pattern SESSION_ID = Pattern.compile("cs_[A-Za-z0-9_]{1,200}");

    @GetMapping("/billing/checkout/complete")
    ResponseEntity<Void> complete(@RequestParam(name = "session_id", required = false) String sessionId) {
        String query = sessionId != null && SESSION_ID.matcher(sessionId).matches() ? "?session_id=" + sessionId : "";
        return dashboard("buy/return" + query);
    }

    @GetMapping("/billing/checkout/cancelled")
    ResponseEntity<Void> cancelled() {
        return dashboard("buy?cancelled=1");
    }

    /** {@code ../../} from {@code /billing/checkout/}: the dashboard at the root of wherever Pictura is served. */
    private static ResponseEntity<Void> dashboard(String route) {
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("../../#/" + route)).build();
    }
}
