package com.pictura.billing.simulator;

import java.math.BigDecimal;
import java.net.URI;

import com.google.gson.JsonObject;
import com.pictura.billing.simulator.StripeSimulator.Delivery;
import com.pictura.billing.simulator.StripeSimulator.SimulatorError;
import com.pictura.billing.stripe.PublicUrl;
import com.pictura.billing.stripe.StripeApi;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.util.HtmlUtils;

/**
 * The simulator's hosted checkout page, and the few things only Stripe's dashboard or a bank can do (settle a
 * delayed payment, open and close a dispute), for trying every flow by hand.
 */
@RestController
@ConditionalOnStripeSimulator
public class SimulatedCheckoutPage {

    private final StripeSimulator simulator;
    private final PublicUrl publicUrl;

    public SimulatedCheckoutPage(StripeSimulator simulator, PublicUrl publicUrl) {
        this.simulator = simulator;
        this.publicUrl = publicUrl;
    }

    @GetMapping(path = StripeApi.SIMULATOR_PATH + "/checkout/{id}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> page(@PathVariable String id) {
        JsonObject session = simulator.session(id).orElseThrow(() -> new SimulatorError(404, "No such checkout session."));
        String status = SimulatorStore.text(session, "status");
        String amount = BigDecimal.valueOf(session.get("amount_total").getAsLong(), 2).toPlainString() + " "
                + SimulatorStore.text(session, "currency").toUpperCase();
        String credits = session.getAsJsonObject("metadata").has("pictura_credits")
                ? session.getAsJsonObject("metadata").get("pictura_credits").getAsString() + " Pictura credits" : "Pictura";
        String action = StripeApi.SIMULATOR_PATH + "/checkout/" + HtmlUtils.htmlEscape(id);
        String body = "open".equals(status) ? """
                <form method="post" action="%1$s/pay"><input type="hidden" name="method" value="card">
                  <button id="pay" type="submit">Pay %2$s</button></form>
                <form method="post" action="%1$s/pay"><input type="hidden" name="method" value="bank">
                  <button id="pay-delayed" type="submit">Pay by bank debit (settles later)</button></form>
                <form method="post" action="%1$s/cancel"><button id="cancel" type="submit">Cancel</button></form>
                """.formatted(action, HtmlUtils.htmlEscape(amount))
                : "<p id=\"status\">This checkout session is " + HtmlUtils.htmlEscape(status) + ".</p>";
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Checkout (Stripe simulator)</title>
                <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto}
                button{font-size:1rem;padding:.6rem 1.2rem;margin:.3rem 0;width:100%%}</style></head>
                <body><p><small>Stripe simulator: no money moves.</small></p>
                <h1>%s</h1><p id="amount">%s</p>%s</body></html>
                """.formatted(HtmlUtils.htmlEscape(credits), HtmlUtils.htmlEscape(amount), body);
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(html);
    }

    @PostMapping(StripeApi.SIMULATOR_PATH + "/checkout/{id}/pay")
    ResponseEntity<Void> pay(@PathVariable String id, @RequestParam(defaultValue = "card") String method) {
        simulator.pay(id, "bank".equals(method), Delivery.DELIVER);
        JsonObject session = simulator.session(id).orElseThrow();
        String success = SimulatorStore.text(session, "success_url");
        return redirect(success == null ? null : success.replace("{CHECKOUT_SESSION_ID}", id));
    }

    @PostMapping(StripeApi.SIMULATOR_PATH + "/checkout/{id}/cancel")
    ResponseEntity<Void> cancel(@PathVariable String id) {
        JsonObject session = simulator.session(id).orElseThrow(() -> new SimulatorError(404, "No such checkout session."));
        return redirect(SimulatorStore.text(session, "cancel_url"));
    }

    // --- what Stripe's dashboard and the banks do; need the simulator's secret key ---

    @PostMapping(StripeApi.SIMULATOR_PATH + "/test/checkout/{id}/settle")
    ResponseEntity<Void> settle(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
                                @PathVariable String id, @RequestParam(defaultValue = "true") boolean succeeded) {
        authorize(auth);
        simulator.settle(id, succeeded, Delivery.DELIVER);
        return ResponseEntity.noContent().build();
    }

    @PostMapping(path = StripeApi.SIMULATOR_PATH + "/test/charges/{charge}/dispute", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> dispute(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
                                   @PathVariable String charge, @RequestParam(required = false) Long amount) {
        authorize(auth);
        return ResponseEntity.ok(simulator.openDispute(charge, amount, Delivery.DELIVER).dispute().toString());
    }

    @PostMapping(path = StripeApi.SIMULATOR_PATH + "/test/disputes/{id}/close", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> close(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
                                 @PathVariable String id, @RequestParam String status) {
        authorize(auth);
        return ResponseEntity.ok(simulator.closeDispute(id, status, Delivery.DELIVER).dispute().toString());
    }

    @ExceptionHandler(SimulatorError.class)
    ResponseEntity<String> error(SimulatorError e) {
        return StripeErrors.of(e);
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class,
            MissingRequestHeaderException.class})
    ResponseEntity<String> badParameter(Exception e) {
        return StripeErrors.of(new SimulatorError(400, "Invalid request: " + StripeErrors.parameter(e),
                StripeErrors.parameter(e)));
    }

    private void authorize(String authorization) {
        if (authorization == null || !authorization.equals("Bearer " + simulator.apiKey())) {
            throw new SimulatorError(401, "Invalid API Key provided.");
        }
    }

    /** Only to Pictura's own pages: sessions are checked when created, and again here for older ones. */
    private ResponseEntity<Void> redirect(String url) {
        if (url == null || !publicUrl.covers(url)) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(url)).build();
    }
}
