package com.pictura.api.simulator;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A value that satisfies a JSON Schema's common subset (object, array, string, integer, number, boolean, enum,
 * const, anyOf/oneOf), for the simulator's JSON answers and tool-call arguments. Deterministic for a seed.
 */
final class SchemaSample {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] WORDS = {"harbour", "river", "stone", "lamp", "garden", "window", "cloud", "hill"};

    private SchemaSample() {
    }

    static JsonNode of(JsonNode schema, long seed) {
        return value(schema, seed, 0);
    }

    private static JsonNode value(JsonNode schema, long seed, int depth) {
        if (schema == null || !schema.isObject() || depth > 8) {
            return JSON.getNodeFactory().stringNode(word(seed));
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.path("enum").isArray() && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get((int) Math.floorMod(seed, schema.get("enum").size()));
        }
        for (String alternatives : new String[] {"anyOf", "oneOf", "allOf"}) {
            if (schema.path(alternatives).isArray() && !schema.get(alternatives).isEmpty()) {
                return value(schema.get(alternatives).get(0), seed, depth + 1);
            }
        }
        JsonNode typeNode = schema.get("type");
        String type = typeNode == null ? (schema.has("properties") ? "object" : "string")
                : typeNode.isArray() ? typeNode.path(0).asString("string") : typeNode.asString("string");
        return switch (type) {
            case "object" -> {
                ObjectNode object = JSON.createObjectNode();
                int i = 0;
                for (var property : schema.path("properties").properties()) {
                    object.set(property.getKey(), value(property.getValue(), seed + 31L * ++i, depth + 1));
                }
                yield object;
            }
            case "array" -> {
                ArrayNode array = JSON.createArrayNode();
                int items = Math.max(1, schema.path("minItems").asInt(1));
                for (int i = 0; i < items; i++) {
                    array.add(value(schema.get("items"), seed + i, depth + 1));
                }
                yield array;
            }
            case "integer" -> JSON.getNodeFactory().numberNode(
                    Math.max(schema.path("minimum").asLong(0), Math.floorMod(seed, 100)));
            case "number" -> JSON.getNodeFactory().numberNode(Math.floorMod(seed, 1000) / 10.0);
            case "boolean" -> JSON.getNodeFactory().booleanNode((seed & 1) == 0);
            case "null" -> JSON.getNodeFactory().nullNode();
            default -> JSON.getNodeFactory().stringNode(word(seed));
        };
    }

    private static String word(long seed) {
        return WORDS[(int) Math.floorMod(seed, WORDS.length)];
    }
}
