package com.pictura.billing.checkout;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where Stripe sends the buyer back. Credits arrive with the webhook, not with this redirect (which anybody can
 * open), so the page only says what happens next.
 */
@RestController
public class CheckoutReturnPages {

    @GetMapping(path = "/billing/checkout/complete", produces = MediaType.TEXT_HTML_VALUE)
    String complete() {
        return page("Thank you", "Your payment went through. Your credits appear in your balance as soon as "
                + "Stripe confirms it, usually within seconds.");
    }

    @GetMapping(path = "/billing/checkout/cancelled", produces = MediaType.TEXT_HTML_VALUE)
    String cancelled() {
        return page("Checkout cancelled", "Nothing was charged.");
    }

    private static String page(String title, String text) {
        return """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>%1$s · Pictura</title></head>
                <body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto">
                <h1>%1$s</h1><p>%2$s</p><p><a href="/">Back to Pictura</a></p></body></html>
                """.formatted(title, text);
    }
}
