package com.pictura.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every password, prompt and model output the test suite sent or received through {@link Http}, so that a scan
 * after the whole suite can look for them where they must never be at rest (logs, events, tables). Key secrets
 * and session tokens need no list: anything of their shape at rest is a leak, whoever's it is.
 */
public final class SentSecrets {

    /** Shorter strings cannot be told apart from ordinary text ("hi", "x"), so they are not looked for. */
    public static final int MIN_LENGTH = 12;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, Set<String>> SEEN = new ConcurrentHashMap<>();

    private SentSecrets() {
    }

    /** What has been seen, by kind ({@code password}, {@code prompt}, {@code output}). */
    public static Map<String, Set<String>> seen() {
        return Map.copyOf(SEEN);
    }

    public static void add(String kind, String value) {
        if (value != null && value.length() >= MIN_LENGTH) {
            SEEN.computeIfAbsent(kind, k -> ConcurrentHashMap.newKeySet()).add(value);
        }
    }

    static void request(String path, String body) {
        JsonNode json = parse(body);
        if (json == null) {
            return;
        }
        if (path.startsWith("/api/")) {
            for (String field : List.of("password", "currentPassword", "newPassword")) {
                add("password", text(json.get(field)));
            }
        } else if (path.startsWith("/v1/") || path.startsWith("/simulator/v1/")) {
            json.path("messages").forEach(message -> texts(message.get("content")).forEach(t -> add("prompt", t)));
            for (String field : List.of("prompt", "input")) {
                texts(json.get(field)).forEach(t -> add("prompt", t));
            }
        }
    }

    static void response(String path, int status, String body) {
        if (status != 200 || !(path.startsWith("/v1/") || path.startsWith("/simulator/v1/"))) {
            return;
        }
        JsonNode json = parse(body);
        if (json != null) {
            json.path("choices").forEach(choice -> {
                add("output", text(choice.path("message").get("content")));
                add("output", text(choice.get("text")));
            });
        }
    }

    /** A string, the strings of an array, or the {@code text} of content parts. */
    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node == null) {
            return texts;
        }
        if (node.isString()) {
            texts.add(node.asString());
        }
        node.forEach(item -> texts.add(item.isString() ? item.asString() : text(item.get("text"))));
        return texts;
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() ? node.asString() : null;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
