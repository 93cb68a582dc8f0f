package com.pictura.api.gateway;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import com.pictura.api.web.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Function calling as OpenAI defines it: {@code tools}, {@code tool_choice}, {@code parallel_tool_calls}, the
 * legacy {@code functions} and {@code function_call}, and the tool calls and results inside messages. Checked
 * here so a malformed schema is a 400 before anything is held, not an upstream's refusal after.
 */
final class ToolFields {

    static final int MAX_TOOLS = 128;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private ToolFields() {
    }

    /** The function names {@code tools} (or {@code functions}) define; empty when there are none. */
    static Set<String> check(ObjectNode body) {
        JsonNode tools = body.get("tools");
        JsonNode functions = body.get("functions");
        if (present(tools) && present(functions)) {
            throw ApiException.invalid("functions", "Use either 'tools' or the legacy 'functions', not both.");
        }
        Set<String> names = new HashSet<>();
        if (present(tools)) {
            array(tools, "tools");
            for (int i = 0; i < tools.size(); i++) {
                JsonNode tool = tools.get(i);
                String param = "tools[" + i + "]";
                if (!tool.isObject() || !"function".equals(tool.path("type").asString(""))) {
                    throw ApiException.invalid(param + ".type", "Each tool must be {\"type\":\"function\",\"function\":{…}}.");
                }
                names.add(function(tool.get("function"), param + ".function"));
            }
        }
        if (present(functions)) {
            array(functions, "functions");
            for (int i = 0; i < functions.size(); i++) {
                names.add(function(functions.get(i), "functions[" + i + "]"));
            }
        }
        choice(body.get("tool_choice"), "tool_choice", names, true);
        choice(body.get("function_call"), "function_call", names, false);
        JsonNode parallel = body.get("parallel_tool_calls");
        if (present(parallel) && !parallel.isBoolean()) {
            throw ApiException.invalid("parallel_tool_calls", "'parallel_tool_calls' must be true or false.");
        }
        return names;
    }

    /** An assistant message's {@code tool_calls}, a tool result's {@code tool_call_id}, a legacy call. */
    static void checkMessage(JsonNode message, String role, String param) {
        JsonNode calls = message.get("tool_calls");
        if (present(calls)) {
            if (!"assistant".equals(role) || !calls.isArray()) {
                throw ApiException.invalid(param + ".tool_calls", "'tool_calls' is an array, in assistant messages.");
            }
            for (int i = 0; i < calls.size(); i++) {
                JsonNode call = calls.get(i);
                String p = param + ".tool_calls[" + i + "]";
                if (!call.isObject() || !call.path("id").isString() || !call.path("function").path("name").isString()
                        || !call.path("function").path("arguments").isString()) {
                    throw ApiException.invalid(p, "A tool call needs 'id' and 'function' with 'name' and 'arguments' (a JSON string).");
                }
            }
        }
        JsonNode legacyCall = message.get("function_call");
        if (present(legacyCall) && (!"assistant".equals(role) || !legacyCall.path("name").isString()
                || !legacyCall.path("arguments").isString())) {
            throw ApiException.invalid(param + ".function_call", "'function_call' needs 'name' and 'arguments', in assistant messages.");
        }
        if ("tool".equals(role) && !message.path("tool_call_id").isString()) {
            throw ApiException.invalid(param + ".tool_call_id", "A tool message needs the 'tool_call_id' it answers.");
        }
        if ("function".equals(role) && !message.path("name").isString()) {
            throw ApiException.invalid(param + ".name", "A function message needs the 'name' of the function.");
        }
    }

    private static String function(JsonNode function, String param) {
        if (function == null || !function.isObject()) {
            throw ApiException.invalid(param, "A function must be an object with a 'name'.");
        }
        JsonNode name = function.get("name");
        if (name == null || !name.isString() || !NAME.matcher(name.asString()).matches()) {
            throw ApiException.invalid(param + ".name", "A function name is 1 to 64 letters, digits, '_' or '-'.");
        }
        JsonNode description = function.get("description");
        if (present(description) && !description.isString()) {
            throw ApiException.invalid(param + ".description", "'description' must be a string.");
        }
        JsonNode parameters = function.get("parameters");
        if (present(parameters) && !parameters.isObject()) {
            throw ApiException.invalid(param + ".parameters", "'parameters' must be a JSON Schema object.");
        }
        JsonNode strict = function.get("strict");
        if (present(strict) && !strict.isBoolean()) {
            throw ApiException.invalid(param + ".strict", "'strict' must be true or false.");
        }
        return name.asString();
    }

    private static void choice(JsonNode choice, String param, Set<String> names, boolean modern) {
        if (!present(choice)) {
            return;
        }
        if (choice.isString()) {
            String value = choice.asString();
            boolean known = value.equals("none") || value.equals("auto") || (modern && value.equals("required"));
            if (!known) {
                throw ApiException.invalid(param, "'" + param + "' must be " + (modern ? "none, auto, required" : "none, auto")
                        + " or names a function.");
            }
            if (!value.equals("none") && names.isEmpty()) {
                throw ApiException.invalid(param, "'" + param + "' needs " + (modern ? "'tools'." : "'functions'."));
            }
            return;
        }
        JsonNode name = modern ? choice.path("function").path("name") : choice.path("name");
        if (!choice.isObject() || !name.isString() || (modern && !"function".equals(choice.path("type").asString("")))) {
            throw ApiException.invalid(param, modern ? "'tool_choice' names a function as {\"type\":\"function\",\"function\":{\"name\":…}}."
                    : "'function_call' names a function as {\"name\":…}.");
        }
        if (!names.contains(name.asString())) {
            throw ApiException.invalid(param, "'" + param + "' names '" + name.asString() + "', which is not among the functions given.");
        }
    }

    private static void array(JsonNode node, String param) {
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_TOOLS) {
            throw ApiException.invalid(param, "'" + param + "' must be an array of 1 to " + MAX_TOOLS + " functions.");
        }
    }

    static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }
}
