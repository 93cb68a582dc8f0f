package com.pictura.api.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.pictura.api.provider.Tokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One answer choice of the simulator, as a whole message and as the pieces a stream sends: text (cut at a
 * {@code stop} sequence), a JSON answer for {@code response_format} ({@code json_object}, {@code json_schema}:
 * a value of the schema), or a tool call with arguments that fit the function's parameters. A tool is called
 * when {@code tool_choice} names it, when it is {@code required}, or when the prompt says {@code #sim:tool=NAME};
 * never in answer to a tool result, so a conversation ends.
 */
final class SimulatedChoice {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final String content;
    final ObjectNode toolCall;
    final List<String> pieces;
    final String finish;

    private SimulatedChoice(String content, ObjectNode toolCall, List<String> pieces, String finish) {
        this.content = content;
        this.toolCall = toolCall;
        this.pieces = pieces;
        this.finish = finish;
    }

    static SimulatedChoice of(JsonNode request, Map<String, String> directives, String[] words, String wordsFinish,
                              long seed, int maxTokens) {
        JsonNode function = toolToCall(request, directives);
        if (function != null) {
            String arguments = SchemaSample.of(function.get("parameters"), seed).toString();
            if (!function.path("parameters").isObject()) {
                arguments = "{}";
            }
            String[] fitted = fit(arguments, maxTokens);
            ObjectNode call = JSON.createObjectNode();
            call.put("id", "call_" + Long.toHexString(seed & 0xFFFFFFFFFFL)).put("type", "function");
            call.putObject("function").put("name", function.path("name").asString()).put("arguments", fitted[0]);
            return new SimulatedChoice(null, call, split(fitted[0]), fitted[1] != null ? fitted[1] : "tool_calls");
        }
        JsonNode format = request.path("response_format");
        String type = format.path("type").asString("text");
        if (type.equals("json_object") || type.equals("json_schema")) {
            String json = type.equals("json_object")
                    ? JSON.createObjectNode().put("answer", String.join("", words).strip()).toString()
                    : SchemaSample.of(format.path("json_schema").get("schema"), seed).toString();
            String[] fitted = fit(json, maxTokens);
            return new SimulatedChoice(fitted[0], null, split(fitted[0]), fitted[1] != null ? fitted[1] : "stop");
        }
        List<String> pieces = new ArrayList<>(List.of(words));
        String finish = cutAtStop(pieces, request.get("stop")) ? "stop" : wordsFinish;
        return new SimulatedChoice(String.join("", pieces), null, pieces, finish);
    }

    /** The whole answer's {@code message}, with {@code logprobs} when asked for. */
    ObjectNode message() {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        if (toolCall != null) {
            message.putNull("content");
            message.putArray("tool_calls").add(toolCall);
        } else {
            message.put("content", content);
        }
        return message;
    }

    /** The stream delta that carries piece {@code i}. */
    ObjectNode delta(int i) {
        ObjectNode delta = JSON.createObjectNode();
        if (toolCall == null) {
            return delta.put("content", pieces.get(i));
        }
        ObjectNode call = delta.putArray("tool_calls").addObject().put("index", 0);
        if (i == 0) {
            call.put("id", toolCall.get("id").asString()).put("type", "function");
            call.putObject("function").put("name", toolCall.path("function").path("name").asString())
                    .put("arguments", pieces.get(0));
        } else {
            call.putObject("function").put("arguments", pieces.get(i));
        }
        return delta;
    }

    /** Log probabilities of pieces {@code from} to {@code to} (exclusive), made up but well formed. */
    ObjectNode logprobs(int from, int to, int top) {
        ObjectNode logprobs = JSON.createObjectNode();
        ArrayNode content = logprobs.putArray("content");
        for (int i = from; i < to && toolCall == null; i++) {
            String token = pieces.get(i);
            ObjectNode entry = content.addObject().put("token", token).put("logprob", -0.05 - (i % 7) / 10.0);
            ArrayNode bytes = entry.putArray("bytes");
            for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
                bytes.add(b & 0xFF);
            }
            ArrayNode alternatives = entry.putArray("top_logprobs");
            for (int k = 0; k < top; k++) {
                alternatives.addObject().put("token", k == 0 ? token : token + k).put("logprob", -0.05 - k)
                        .putArray("bytes");
            }
        }
        return logprobs;
    }

    private static JsonNode toolToCall(JsonNode request, Map<String, String> directives) {
        JsonNode tools = request.path("tools");
        JsonNode messages = request.path("messages");
        String lastRole = messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("role").asString("");
        if (!tools.isArray() || tools.isEmpty() || lastRole.equals("tool") || lastRole.equals("function")) {
            return null;
        }
        JsonNode choice = request.path("tool_choice");
        String wanted = directives.get("tool");
        if (choice.isObject()) {
            wanted = choice.path("function").path("name").asString(null);
        } else if ("none".equals(choice.asString(""))) {
            return null;
        }
        for (JsonNode tool : tools) {
            if (tool.path("function").path("name").asString("").equals(wanted)) {
                return tool.get("function");
            }
        }
        return "required".equals(choice.asString("")) ? tools.get(0).get("function") : null;
    }

    /** {@code text} cut until it counts at most {@code maxTokens}; [text, "length" if cut, else null]. */
    private static String[] fit(String text, int maxTokens) {
        if (Tokens.count(text) <= maxTokens) {
            return new String[] {text, null};
        }
        String cut = text;
        while (!cut.isEmpty() && Tokens.count(cut) > maxTokens) {
            cut = cut.substring(0, cut.length() - Math.max(1, (cut.length() - maxTokens) / 4));
        }
        return new String[] {cut, "length"};
    }

    private static List<String> split(String text) {
        List<String> pieces = new ArrayList<>(Tokens.pieces(text));
        if (pieces.isEmpty()) {
            pieces.add("");
        }
        return pieces;
    }

    /** Cuts {@code pieces} before the first {@code stop} sequence; true if one was found. */
    private static boolean cutAtStop(List<String> pieces, JsonNode stop) {
        List<String> stops = new ArrayList<>();
        if (stop != null && stop.isString()) {
            stops.add(stop.asString());
        } else if (stop != null && stop.isArray()) {
            stop.forEach(s -> stops.add(s.asString("")));
        }
        String text = String.join("", pieces);
        int at = -1;
        for (String s : stops) {
            int i = s.isEmpty() ? -1 : text.indexOf(s);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
            }
        }
        if (at < 0) {
            return false;
        }
        int length = 0;
        for (int i = 0; i < pieces.size(); i++) {
            String piece = pieces.get(i);
            if (length + piece.length() > at) {
                String kept = piece.substring(0, at - length);
                pieces.subList(i, pieces.size()).clear();
                if (!kept.isEmpty()) {
                    pieces.add(kept);
                }
                return true;
            }
            length += piece.length();
        }
        return true;
    }
}
