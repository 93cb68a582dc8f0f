package com.pictura.api.gateway;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The legacy {@code functions} API, spoken to upstreams as {@code tools}: Llama and Qwen servers (vLLM, TGI,
 * the vendors) implement tools only. Requests are translated on the way up, answers back on the way down, so
 * an old client keeps working.
 */
final class LegacyFunctions {

    private LegacyFunctions() {
    }

    /** Rewrites {@code functions}, {@code function_call} and the legacy messages of {@code body} as tools. */
    static void toTools(ObjectNode body) {
        JsonNode functions = body.remove("functions");
        JsonNode functionCall = body.remove("function_call");
        if (functions != null && !functions.isNull()) {
            ArrayNode tools = body.putArray("tools");
            functions.forEach(f -> tools.addObject().put("type", "function").set("function", f));
            // a legacy answer holds one call
            body.put("parallel_tool_calls", false);
        }
        if (functionCall != null && !functionCall.isNull()) {
            if (functionCall.isString()) {
                body.put("tool_choice", functionCall.asString());
            } else {
                body.putObject("tool_choice").put("type", "function").putObject("function")
                        .put("name", functionCall.path("name").asString());
            }
        }
        String lastCallId = null;
        int n = 0;
        for (JsonNode m : body.path("messages")) {
            ObjectNode message = (ObjectNode) m;
            JsonNode call = message.remove("function_call");
            if (call != null && !call.isNull()) {
                lastCallId = "call_legacy_" + n++;
                ObjectNode toolCall = message.putArray("tool_calls").addObject();
                toolCall.put("id", lastCallId).put("type", "function").set("function", call);
            }
            if ("function".equals(message.path("role").asString(""))) {
                message.put("role", "tool");
                message.remove("name");
                message.put("tool_call_id", lastCallId != null ? lastCallId : "call_legacy_" + n++);
            }
        }
    }

    /**
     * Rewrites an answer choice's tool calls as a legacy {@code function_call}, in {@code part} ({@code message},
     * or {@code delta} of a stream chunk); the finish reason {@code tool_calls} becomes {@code function_call}.
     */
    static void toFunctionCall(JsonNode choice, String part) {
        if (!(choice instanceof ObjectNode c)) {
            return;
        }
        if (c.get(part) instanceof ObjectNode message && message.get("tool_calls") instanceof ArrayNode calls) {
            message.remove("tool_calls");
            if (!calls.isEmpty()) {
                message.set("function_call", calls.get(0).path("function").deepCopy());
            }
        }
        if ("tool_calls".equals(c.path("finish_reason").asString(""))) {
            c.put("finish_reason", "function_call");
        }
    }
}
