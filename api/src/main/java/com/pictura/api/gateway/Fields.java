package com.pictura.api.gateway;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.pictura.api.web.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Field checks for request bodies: each failure is a 400 naming the parameter, in OpenAI's shape. */
final class Fields {

    private Fields() {
    }

    /**
     * The fields of {@code body} in none of {@code known}: dropped before the upstream sees them and named back to
     * the client (docs/gateway.md, "Request fields"), never a 400.
     */
    @SafeVarargs
    static List<String> unknown(ObjectNode body, Set<String>... known) {
        List<String> unknown = new ArrayList<>();
        for (String name : body.propertyNames()) {
            if (Arrays.stream(known).noneMatch(set -> set.contains(name))) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    static void onlyKnown(ObjectNode body, Set<String> known) {
        for (String name : body.propertyNames()) {
            if (!known.contains(name)) {
                throw ApiException.invalid(name, "Unrecognized request argument supplied: " + name);
            }
        }
    }

    static String requiredString(ObjectNode body, String name, int maxLength) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            throw ApiException.invalid(name, "Missing required parameter: '" + name + "'.");
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw ApiException.invalid(name, "'" + name + "' must be a non-empty string.");
        }
        if (value.asString().length() > maxLength) {
            throw ApiException.invalid(name, "'" + name + "' is too long (" + maxLength + " characters at most).");
        }
        return value.asString();
    }

    static String optionalString(ObjectNode body, String name, int maxLength) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ApiException.invalid(name, "'" + name + "' must be a string.");
        }
        if (value.asString().length() > maxLength) {
            throw ApiException.invalid(name, "'" + name + "' is too long (" + maxLength + " characters at most).");
        }
        return value.asString();
    }

    static Integer optionalInt(ObjectNode body, String name, long min, long max) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw ApiException.invalid(name, "'" + name + "' must be an integer from " + min + " to " + max + ".");
        }
        return (int) value.asLong();
    }

    static Long optionalLong(ObjectNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiException.invalid(name, "'" + name + "' must be an integer.");
        }
        return value.asLong();
    }

    static void optionalNumber(ObjectNode body, String name, double min, double max) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            throw ApiException.invalid(name, "'" + name + "' must be a number from " + min + " to " + max + ".");
        }
    }

    static boolean optionalBoolean(ObjectNode body, String name, boolean fallback) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid(name, "'" + name + "' must be true or false.");
        }
        return value.asBoolean();
    }
}
