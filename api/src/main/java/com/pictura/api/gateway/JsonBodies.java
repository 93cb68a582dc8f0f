package com.pictura.api.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import com.pictura.api.web.ApiException;
import com.pictura.domain.wallet.Credits;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Reading request bodies within the size limit, and the gateway's JSON (amounts written as plain decimals). */
public final class JsonBodies {

    public static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private JsonBodies() {
    }

    /** The raw body, at most {@code limit} bytes; more is a 413. */
    public static byte[] read(HttpServletRequest request, int limit) {
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "invalid_request_error", "request_too_large", null,
                        "The request body is larger than " + limit + " bytes.");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON object, or a 400 saying why not. */
    public static ObjectNode object(byte[] body) {
        if (body.length == 0) {
            throw ApiException.invalid(null, "A JSON body is required.");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_json", null,
                    "The request body is not valid JSON.");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.invalid(null, "The request body must be a JSON object.");
        }
        return object;
    }

    /** Credits as a JSON number with six decimals, e.g. {@code 0.000123}. */
    public static BigDecimal number(Credits credits) {
        return BigDecimal.valueOf(credits.micros(), 6);
    }

    public static byte[] errorJson(String message, String type, String param, String code) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message).put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        error.put("code", code);
        return JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    }
}
