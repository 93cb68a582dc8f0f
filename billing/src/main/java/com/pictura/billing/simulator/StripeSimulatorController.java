package com.pictura.billing.simulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.pictura.billing.simulator.StripeSimulator.Delivery;
import com.pictura.billing.simulator.StripeSimulator.SimulatorError;
import com.pictura.billing.stripe.StripeApi;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The simulator's HTTP API under {@code /stripe-sim/v1}: the Stripe endpoints stripe-java calls for Pictura,
 * same paths, form-encoded parameters, JSON answers and errors, and the same Bearer secret key check.
 */
@RestController
@ConditionalOnStripeSimulator
@RequestMapping(StripeApi.SIMULATOR_PATH + "/v1")
public class StripeSimulatorController {

    private final StripeSimulator simulator;

    public StripeSimulatorController(StripeSimulator simulator) {
        this.simulator = simulator;
    }

    @PostMapping(path = "/checkout/sessions", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> createSession(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
                                         @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
                                         @RequestParam MultiValueMap<String, String> form) {
        authorize(auth);
        return ok(simulator.createSession(single(form), idempotencyKey));
    }

    @GetMapping(path = "/checkout/sessions/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> session(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
                                   @PathVariable String id) {
        authorize(auth);
        return ok(simulator.session(id).orElseThrow(() -> new SimulatorError(404, "No such checkout.session: '" + id + "'")));
    }

    @GetMapping(path = "/checkout/sessions", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> sessions(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
                                    @RequestParam MultiValueMap<String, String> query) {
        authorize(auth);
        Map<String, String> q = single(query);
        return ok(page("/v1/checkout/sessions", simulator.sessions(createdFrom(q), createdBefore(q),
                q.get("payment_intent")), q));
    }

    @PostMapping(path = "/refunds", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> refund(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
                                  @RequestParam MultiValueMap<String, String> form) {
        authorize(auth);
        Map<String, String> f = single(form);
        if (f.get("charge") == null && f.get("payment_intent") == null) {
            throw new SimulatorError(400, "One of charge or payment_intent is required");
        }
        Long amount = f.get("amount") == null ? null : StripeSimulator.parseLong(f.get("amount"), "amount");
        return ok(simulator.refund(f.get("charge"), f.get("payment_intent"), amount, Delivery.DELIVER).refund());
    }

    @GetMapping(path = "/refunds", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> refunds(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
                                   @RequestParam MultiValueMap<String, String> query) {
        authorize(auth);
        Map<String, String> q = single(query);
        return ok(page("/v1/refunds", simulator.refunds(createdFrom(q), createdBefore(q), q.get("charge"),
                q.get("payment_intent")), q));
    }

    @GetMapping(path = "/{collection:refunds|charges|disputes}/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> object(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
                                  @PathVariable String collection, @PathVariable String id) {
        authorize(auth);
        String type = collection.substring(0, collection.length() - 1);
        return ok(simulator.find(id, type).orElseThrow(() -> new SimulatorError(404, "No such " + type + ": '" + id + "'")));
    }

    @ExceptionHandler(SimulatorError.class)
    ResponseEntity<String> error(SimulatorError e) {
        return StripeErrors.of(e);
    }

    /** A missing or malformed parameter Spring noticed first: Stripe's 400, not the application's shape. */
    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class,
            MissingRequestHeaderException.class})
    ResponseEntity<String> badParameter(Exception e) {
        return StripeErrors.of(new SimulatorError(400, "Invalid request: " + StripeErrors.parameter(e),
                StripeErrors.parameter(e)));
    }

    private void authorize(String authorization) {
        // Every API call passes here first: the simulated outage answers before anything is read or written.
        if (simulator.inOutage()) {
            throw new SimulatorError(503, "Stripe is unavailable (simulated outage).");
        }
        if (authorization == null || !authorization.equals("Bearer " + simulator.apiKey())) {
            throw new SimulatorError(401, "Invalid API Key provided.");
        }
    }

    /** One page of a list, newest first, honouring {@code limit} and {@code starting_after} as Stripe does. */
    private static JsonObject page(String url, List<JsonObject> all, Map<String, String> q) {
        long asked = q.get("limit") == null ? 10 : StripeSimulator.parseLong(q.get("limit"), "limit");
        if (asked < 1 || asked > 100) {
            throw new SimulatorError(400, "limit must be between 1 and 100", "limit");
        }
        int limit = (int) asked;
        int start = 0;
        String after = q.get("starting_after");
        if (after != null) {
            for (int i = 0; i < all.size(); i++) {
                if (after.equals(all.get(i).get("id").getAsString())) {
                    start = i + 1;
                    break;
                }
            }
        }
        JsonArray data = new JsonArray();
        all.subList(start, Math.min(all.size(), start + limit)).forEach(data::add);
        JsonObject list = new JsonObject();
        list.addProperty("object", "list");
        list.add("data", data);
        list.addProperty("has_more", start + limit < all.size());
        list.addProperty("url", url);
        return list;
    }

    private static Long createdFrom(Map<String, String> q) {
        if (q.get("created[gte]") != null) {
            return timestamp(q, "created[gte]");
        }
        return q.get("created[gt]") == null ? null : timestamp(q, "created[gt]") + 1;
    }

    private static Long createdBefore(Map<String, String> q) {
        if (q.get("created[lt]") != null) {
            return timestamp(q, "created[lt]");
        }
        return q.get("created[lte]") == null ? null : timestamp(q, "created[lte]") + 1;
    }

    /** A Unix time in seconds; out of range (past year 9999) is as invalid as text. */
    private static long timestamp(Map<String, String> q, String name) {
        long value = StripeSimulator.parseLong(q.get(name), name);
        if (value < 0 || value > 253_402_300_799L) {
            throw new SimulatorError(400, "Invalid timestamp: " + name, name);
        }
        return value;
    }

    private static Map<String, String> single(MultiValueMap<String, String> values) {
        Map<String, String> single = new HashMap<>();
        values.forEach((key, list) -> single.put(key, list.isEmpty() ? null : list.get(0)));
        return single;
    }

    private static ResponseEntity<String> ok(JsonObject body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body.toString());
    }
}
