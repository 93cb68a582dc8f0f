package com.pictura.billing.simulator;

import com.google.gson.JsonObject;
import com.pictura.billing.simulator.StripeSimulator.SimulatorError;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Stripe's error shape: {@code {"error":{"type","message","param","code"}}}. */
final class StripeErrors {

    private StripeErrors() {
    }

    static ResponseEntity<String> of(SimulatorError e) {
        JsonObject error = new JsonObject();
        // stripe-java retries 5xx ("api_error") and gives up at once on the rest.
        error.addProperty("type", e.status() >= 500 ? "api_error" : "invalid_request_error");
        error.addProperty("message", e.getMessage());
        if (e.param() != null) {
            error.addProperty("param", e.param());
        }
        if (e.status() == 404) {
            error.addProperty("code", "resource_missing");
        } else if (e.status() == 400) {
            error.addProperty("code", "parameter_invalid");
        }
        JsonObject body = new JsonObject();
        body.add("error", error);
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON).body(body.toString());
    }

    /** The name of the parameter Spring could not bind; never its value, which the client chose. */
    static String parameter(Exception e) {
        if (e instanceof MissingServletRequestParameterException missing) {
            return missing.getParameterName();
        }
        if (e instanceof MethodArgumentTypeMismatchException mismatch) {
            return mismatch.getName();
        }
        if (e instanceof MissingRequestHeaderException header) {
            return header.getHeaderName();
        }
        return null;
    }
}
