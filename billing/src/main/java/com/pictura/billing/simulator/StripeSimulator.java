package com.pictura.billing.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.pictura.billing.BillingProperties;
import com.pictura.billing.CreditPack;
import com.pictura.billing.checkout.StripeMetadata;
import com.pictura.billing.stripe.LocalServer;
import com.pictura.billing.stripe.PublicUrl;
import com.pictura.billing.stripe.StripeApi;
import com.pictura.billing.webhook.StripeWebhookController;
import com.pictura.domain.id.Ids;
import com.stripe.Stripe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A small Stripe: the part of its API that Pictura calls (Checkout Sessions, refunds, charges, disputes), a
 * hosted checkout page, and webhooks signed with the endpoint secret and delivered over loopback HTTP to
 * Pictura's own endpoint, exactly as Stripe would send them. Active only when no real Stripe key is configured.
 *
 * <p>Tests drive it through these methods too; {@link Delivery#HOLD} hands them the signed events instead of
 * delivering them, to replay, reorder and tamper with.
 */
@Component
@ConditionalOnStripeSimulator
public class StripeSimulator {

    private static final Logger log = LoggerFactory.getLogger(StripeSimulator.class);

    public enum Delivery { DELIVER, HOLD }

    /** An event as Stripe would send it: its JSON body, ready to sign. */
    public record SimulatedEvent(String id, String type, String payload) {
    }

    private final SimulatorStore store;
    private final BillingProperties properties;
    private final BillingProperties.Stripe settings;
    private final LocalServer server;
    private final PublicUrl publicUrl;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> idempotentSessions = new ConcurrentHashMap<>();
    private final List<SimulatedEvent> undelivered = new CopyOnWriteArrayList<>();
    private volatile boolean outage;

    public StripeSimulator(JdbcClient jdbc, BillingProperties properties, LocalServer server, PublicUrl publicUrl,
                           Clock clock) {
        this.store = new SimulatorStore(jdbc);
        this.properties = properties;
        this.settings = properties.stripe();
        this.server = server;
        this.publicUrl = publicUrl;
        this.clock = clock;
        log.warn("*** STRIPE SIMULATOR ON *** Payments go to the built-in Stripe simulator: every signed-in account "
                + "can buy credit packs without paying. Set PICTURA_STRIPE_API_KEY and PICTURA_STRIPE_WEBHOOK_SECRET "
                + "for real payments (docs/billing.md).");
    }

    public String apiKey() {
        return settings.simulatorApiKey();
    }

    /**
     * Simulates Stripe being down: while on, every API call answers 503, as Stripe does in an outage (stripe-java
     * retries it, then gives up). Webhooks already sent are not affected. For tests of what Pictura does then.
     */
    public void outage(boolean on) {
        outage = on;
    }

    public boolean inOutage() {
        return outage;
    }

    // --- the API ---

    /** {@code POST /v1/checkout/sessions}, from stripe-java's form parameters. */
    public synchronized JsonObject createSession(Map<String, String> form, String idempotencyKey) {
        if (idempotencyKey != null && idempotentSessions.containsKey(idempotencyKey)) {
            return session(idempotentSessions.get(idempotencyKey)).orElseThrow();
        }
        CreditPack pack = sellable(form);
        long amount = pack.priceCents();
        String currency = properties.currency();
        String id = Ids.random("cs_test_", 40);
        long now = now();
        JsonObject session = new JsonObject();
        session.addProperty("id", id);
        session.addProperty("object", "checkout.session");
        session.addProperty("amount_subtotal", amount);
        session.addProperty("amount_total", amount);
        session.addProperty("cancel_url", form.get("cancel_url"));
        session.addProperty("client_reference_id", form.get("client_reference_id"));
        session.addProperty("created", now);
        session.addProperty("currency", currency);
        session.addProperty("expires_at", now + 24 * 3600);
        session.addProperty("livemode", false);
        session.add("metadata", prefixed(form, "metadata"));
        session.addProperty("mode", "payment");
        session.add("payment_intent", JsonNull.INSTANCE);
        session.addProperty("payment_status", "unpaid");
        session.addProperty("status", "open");
        session.addProperty("success_url", form.get("success_url"));
        session.addProperty("url", publicUrl.base() + StripeApi.SIMULATOR_PATH + "/checkout/" + id);
        // Kept for the charge: what payment_intent_data says the payment is.
        session.add("_payment_intent_metadata", prefixed(form, "payment_intent_data[metadata]"));
        store.save(session);
        if (idempotencyKey != null) {
            idempotentSessions.put(idempotencyKey, id);
        }
        return publicView(session);
    }

    public Optional<JsonObject> session(String id) {
        return store.find(id, "checkout.session").map(StripeSimulator::publicView);
    }

    public List<JsonObject> sessions(Long createdFrom, Long createdBefore, String paymentIntent) {
        return store.list("checkout.session", createdFrom, createdBefore, paymentIntent, null).stream()
                .map(StripeSimulator::publicView).toList();
    }

    public Optional<JsonObject> find(String id, String type) {
        return store.find(id, type);
    }

    public List<JsonObject> refunds(Long createdFrom, Long createdBefore, String charge, String paymentIntent) {
        return store.list("refund", createdFrom, createdBefore, paymentIntent, charge);
    }

    // --- what a customer, a bank or a support agent at Stripe does ---

    /** The customer pays on the hosted page: by card (paid at once) or by a delayed method (settled later). */
    public synchronized List<SimulatedEvent> pay(String sessionId, boolean delayed, Delivery delivery) {
        JsonObject session = store.find(sessionId, "checkout.session")
                .orElseThrow(() -> new SimulatorError(404, "No such checkout.session: " + sessionId));
        if (!"open".equals(SimulatorStore.text(session, "status"))) {
            throw new SimulatorError(400, "This checkout session is " + SimulatorStore.text(session, "status"));
        }
        long now = now();
        String paymentIntent = Ids.random("pi_", 24);
        JsonObject charge = new JsonObject();
        charge.addProperty("id", Ids.random("ch_", 24));
        charge.addProperty("object", "charge");
        charge.addProperty("amount", session.get("amount_total").getAsLong());
        charge.addProperty("amount_captured", delayed ? 0 : session.get("amount_total").getAsLong());
        charge.addProperty("amount_refunded", 0);
        charge.addProperty("captured", !delayed);
        charge.addProperty("created", now);
        charge.addProperty("currency", SimulatorStore.text(session, "currency"));
        charge.addProperty("disputed", false);
        charge.addProperty("livemode", false);
        charge.add("metadata", session.get("_payment_intent_metadata").deepCopy());
        charge.addProperty("paid", !delayed);
        charge.addProperty("payment_intent", paymentIntent);
        charge.addProperty("refunded", false);
        charge.addProperty("status", delayed ? "pending" : "succeeded");
        store.save(charge);
        session.addProperty("status", "complete");
        session.addProperty("payment_intent", paymentIntent);
        session.addProperty("payment_status", delayed ? "unpaid" : "paid");
        store.save(session);
        List<SimulatedEvent> events = new ArrayList<>();
        if (!delayed) {
            events.add(event("charge.succeeded", charge));
        }
        events.add(event("checkout.session.completed", publicView(session)));
        return send(events, delivery);
    }

    /** A delayed payment (bank debit) succeeds or fails. */
    public synchronized List<SimulatedEvent> settle(String sessionId, boolean succeeded, Delivery delivery) {
        JsonObject session = store.find(sessionId, "checkout.session")
                .orElseThrow(() -> new SimulatorError(404, "No such checkout.session: " + sessionId));
        JsonObject charge = chargeOfPaymentIntent(SimulatorStore.text(session, "payment_intent"));
        if (!"pending".equals(SimulatorStore.text(charge, "status"))) {
            throw new SimulatorError(400, "This payment is not pending");
        }
        charge.addProperty("status", succeeded ? "succeeded" : "failed");
        charge.addProperty("paid", succeeded);
        charge.addProperty("captured", succeeded);
        charge.addProperty("amount_captured", succeeded ? charge.get("amount").getAsLong() : 0);
        store.save(charge);
        session.addProperty("payment_status", succeeded ? "paid" : "unpaid");
        store.save(session);
        return send(List.of(event(succeeded ? "checkout.session.async_payment_succeeded"
                : "checkout.session.async_payment_failed", publicView(session))), delivery);
    }

    /** {@code POST /v1/refunds}: all or part of what is left of a charge. */
    public synchronized Refunded refund(String chargeId, String paymentIntent, Long amount, Delivery delivery) {
        JsonObject charge = chargeId != null
                ? store.find(chargeId, "charge").orElseThrow(() -> new SimulatorError(404, "No such charge: " + chargeId))
                : chargeOfPaymentIntent(paymentIntent);
        if (!"succeeded".equals(SimulatorStore.text(charge, "status"))) {
            throw new SimulatorError(400, "Only a succeeded charge can be refunded");
        }
        long left = charge.get("amount").getAsLong() - charge.get("amount_refunded").getAsLong();
        long refunded = amount == null ? left : amount;
        if (refunded <= 0 || refunded > left) {
            throw new SimulatorError(400, "Refund amount (" + refunded + ") is greater than unrefunded amount on charge (" + left + ")");
        }
        JsonObject refund = new JsonObject();
        refund.addProperty("id", Ids.random("re_", 24));
        refund.addProperty("object", "refund");
        refund.addProperty("amount", refunded);
        refund.addProperty("charge", SimulatorStore.text(charge, "id"));
        refund.addProperty("created", now());
        refund.addProperty("currency", SimulatorStore.text(charge, "currency"));
        refund.add("metadata", new JsonObject());
        refund.addProperty("payment_intent", SimulatorStore.text(charge, "payment_intent"));
        refund.addProperty("reason", "requested_by_customer");
        refund.addProperty("status", "succeeded");
        store.save(refund);
        charge.addProperty("amount_refunded", charge.get("amount_refunded").getAsLong() + refunded);
        charge.addProperty("refunded", charge.get("amount_refunded").getAsLong() == charge.get("amount").getAsLong());
        store.save(charge);
        List<SimulatedEvent> events = send(List.of(event("refund.created", refund), event("charge.refunded", charge)),
                delivery);
        return new Refunded(refund, events);
    }

    public record Refunded(JsonObject refund, List<SimulatedEvent> events) {
    }

    /** The cardholder's bank opens a dispute over a charge. */
    public synchronized Disputed openDispute(String chargeId, Long amount, Delivery delivery) {
        JsonObject charge = store.find(chargeId, "charge")
                .orElseThrow(() -> new SimulatorError(404, "No such charge: " + chargeId));
        long disputable = charge.get("amount").getAsLong() - charge.get("amount_refunded").getAsLong();
        if (amount != null && (amount <= 0 || amount > disputable)) {
            throw new SimulatorError(400, "A dispute's amount must be between 1 and " + disputable, "amount");
        }
        JsonObject dispute = new JsonObject();
        dispute.addProperty("id", Ids.random("dp_", 24));
        dispute.addProperty("object", "dispute");
        dispute.addProperty("amount", amount == null ? disputable : amount);
        dispute.addProperty("charge", chargeId);
        dispute.addProperty("created", now());
        dispute.addProperty("currency", SimulatorStore.text(charge, "currency"));
        dispute.addProperty("livemode", false);
        dispute.add("metadata", new JsonObject());
        dispute.addProperty("payment_intent", SimulatorStore.text(charge, "payment_intent"));
        dispute.addProperty("reason", "fraudulent");
        dispute.addProperty("status", "needs_response");
        store.save(dispute);
        charge.addProperty("disputed", true);
        store.save(charge);
        return new Disputed(dispute, send(List.of(event("charge.dispute.created", dispute)), delivery));
    }

    /** The bank decides: {@code won}, {@code lost} or {@code warning_closed}. */
    public synchronized Disputed closeDispute(String disputeId, String status, Delivery delivery) {
        if (!List.of("won", "lost", "warning_closed").contains(status)) {
            throw new SimulatorError(400, "A dispute closes as won, lost or warning_closed");
        }
        JsonObject dispute = store.find(disputeId, "dispute")
                .orElseThrow(() -> new SimulatorError(404, "No such dispute: " + disputeId));
        dispute.addProperty("status", status);
        store.save(dispute);
        return new Disputed(dispute, send(List.of(event("charge.dispute.closed", dispute)), delivery));
    }

    public record Disputed(JsonObject dispute, List<SimulatedEvent> events) {
    }

    public String chargeOf(String sessionId) {
        JsonObject session = store.find(sessionId, "checkout.session")
                .orElseThrow(() -> new SimulatorError(404, "No such checkout.session: " + sessionId));
        return SimulatorStore.text(chargeOfPaymentIntent(SimulatorStore.text(session, "payment_intent")), "id");
    }

    // --- webhooks ---

    /** Signs as Stripe does, with the endpoint secret and the current time. */
    public String sign(SimulatedEvent event) {
        return WebhookSignature.header(event.payload(), settings.webhookSecret(), now());
    }

    /** POSTs a signed event to Pictura's webhook endpoint; the HTTP status it answered. */
    public int deliver(SimulatedEvent event) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + StripeWebhookController.PATH))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", sign(event))
                .POST(HttpRequest.BodyPublishers.ofString(event.payload()))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Retries what Pictura did not accept, as Stripe does (for days; here whenever asked). */
    public int redeliverFailed() {
        int delivered = 0;
        for (SimulatedEvent event : List.copyOf(undelivered)) {
            if (isSuccess(deliver(event))) {
                undelivered.remove(event);
                delivered++;
            }
        }
        return delivered;
    }

    private List<SimulatedEvent> send(List<SimulatedEvent> events, Delivery delivery) {
        if (delivery == Delivery.DELIVER) {
            for (SimulatedEvent event : events) {
                int status = deliver(event);
                if (!isSuccess(status)) {
                    log.warn("Simulated Stripe event {} ({}) was answered {}; kept for redelivery", event.id(),
                            event.type(), status);
                    undelivered.add(event);
                }
            }
        }
        return events;
    }

    private SimulatedEvent event(String type, JsonObject object) {
        JsonObject event = new JsonObject();
        String id = Ids.random("evt_", 24);
        event.addProperty("id", id);
        event.addProperty("object", "event");
        event.addProperty("api_version", Stripe.API_VERSION);
        event.addProperty("created", now());
        event.addProperty("livemode", false);
        event.addProperty("pending_webhooks", 1);
        JsonObject request = new JsonObject();
        request.add("id", JsonNull.INSTANCE);
        request.add("idempotency_key", JsonNull.INSTANCE);
        event.add("request", request);
        event.addProperty("type", type);
        JsonObject data = new JsonObject();
        data.add("object", object.deepCopy());
        event.add("data", data);
        return new SimulatedEvent(id, type, event.toString());
    }

    private JsonObject chargeOfPaymentIntent(String paymentIntent) {
        if (paymentIntent == null) {
            throw new SimulatorError(400, "This checkout session has no payment yet");
        }
        return store.list("charge", null, null, paymentIntent, null).stream().findFirst()
                .orElseThrow(() -> new SimulatorError(404, "No charge for payment intent " + paymentIntent));
    }

    /** The parameters Pictura's own checkout sends; anything else is refused as Stripe refuses unknown ones. */
    private static final Set<String> SESSION_PARAMETERS = Set.of("mode", "client_reference_id", "success_url",
            "cancel_url", "metadata[" + StripeMetadata.ACCOUNT + "]", "metadata[" + StripeMetadata.PACK + "]",
            "metadata[" + StripeMetadata.CREDITS + "]", "payment_intent_data[metadata][" + StripeMetadata.ACCOUNT + "]",
            "payment_intent_data[metadata][" + StripeMetadata.PACK + "]", "payment_intent_data[description]",
            "line_items[0][quantity]", "line_items[0][price_data][currency]", "line_items[0][price_data][unit_amount]",
            "line_items[0][price_data][product_data][name]");

    /**
     * The simulator sells only what Pictura's checkout offers: one pack of the catalog, at the catalog's price and
     * currency, its credits and account written consistently, returning to Pictura's own pages. Its secret key is
     * known only to this application, but a key configured by hand (or leaked) must still not mint credits: a
     * session for 100,000 credits at one cent, or one that redirects elsewhere after paying, is refused.
     */
    private CreditPack sellable(Map<String, String> form) {
        for (String name : form.keySet()) {
            if (!SESSION_PARAMETERS.contains(name)) {
                throw new SimulatorError(400, "Received unknown parameter: " + name, name);
            }
        }
        if (!"payment".equals(form.get("mode"))) {
            throw new SimulatorError(400, "mode: only 'payment' is simulated", "mode");
        }
        CreditPack pack = properties.pack(String.valueOf(form.get("metadata[" + StripeMetadata.PACK + "]")))
                .orElseThrow(() -> new SimulatorError(400, "metadata[" + StripeMetadata.PACK + "] must name a "
                        + "credit pack of Pictura's catalog", "metadata[" + StripeMetadata.PACK + "]"));
        require(form, "line_items[0][quantity]", "1");
        require(form, "line_items[0][price_data][currency]", properties.currency());
        require(form, "line_items[0][price_data][unit_amount]", Long.toString(pack.priceCents()));
        require(form, "metadata[" + StripeMetadata.CREDITS + "]", Long.toString(pack.credits()));
        require(form, "payment_intent_data[metadata][" + StripeMetadata.PACK + "]", pack.id());
        String account = form.get("client_reference_id");
        try {
            new com.pictura.domain.account.AccountId(account);
        } catch (IllegalArgumentException e) {
            throw new SimulatorError(400, "client_reference_id must be a Pictura account id", "client_reference_id");
        }
        require(form, "metadata[" + StripeMetadata.ACCOUNT + "]", account);
        require(form, "payment_intent_data[metadata][" + StripeMetadata.ACCOUNT + "]", account);
        for (String url : List.of("success_url", "cancel_url")) {
            if (!publicUrl.covers(form.get(url))) {
                throw new SimulatorError(400, url + " must be a page of Pictura (" + publicUrl.base() + ")", url);
            }
        }
        return pack;
    }

    private static void require(Map<String, String> form, String name, String expected) {
        if (!expected.equals(form.get(name))) {
            throw new SimulatorError(400, "Invalid " + name + ": this simulator sells Pictura's credit packs at "
                    + "their catalog price only", name);
        }
    }

    private static JsonObject publicView(JsonObject session) {
        JsonObject view = session.deepCopy();
        view.remove("_payment_intent_metadata");
        return view;
    }

    /** {@code metadata[key]=value} form fields as a JSON object. */
    private static JsonObject prefixed(Map<String, String> form, String prefix) {
        JsonObject object = new JsonObject();
        form.forEach((key, value) -> {
            if (key.startsWith(prefix + "[") && key.endsWith("]") && key.indexOf('[', prefix.length() + 1) < 0) {
                object.addProperty(key.substring(prefix.length() + 1, key.length() - 1), value);
            }
        });
        return object;
    }

    static long parseLong(String value, String field) {
        try {
            return Long.parseLong(value);
        } catch (RuntimeException e) {
            throw new SimulatorError(400, "Invalid integer: " + field, field);
        }
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** An error answered in Stripe's shape. */
    public static class SimulatorError extends RuntimeException {
        private final int status;
        private final String param;

        public SimulatorError(int status, String message) {
            this(status, message, null);
        }

        public SimulatorError(int status, String message, String param) {
            super(message, null, false, false);
            this.status = status;
            this.param = param;
        }

        public int status() {
            return status;
        }

        public String param() {
            return param;
        }
    }
}
