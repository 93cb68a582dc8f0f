package com.pictura.api.provider;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * A simple, deterministic tokenizer: every run of letters or digits is a token, and so is every other
 * non-space character. The simulator counts with it, so its usage is exact; for real upstreams it estimates the
 * prompt before a call (it tends to count more than BPE tokenizers do, which keeps holds on the safe side) and
 * counts what was delivered when a stream ends without the provider's own usage.
 */
public final class Tokens {

    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+|[^\\p{L}\\p{N}\\s]");
    /** Per-message framing (role, separators), as chat templates add it. */
    static final int PER_MESSAGE = 4;
    static final int PER_PROMPT = 2;

    private Tokens() {
    }

    public static int count(CharSequence text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        Matcher matcher = TOKEN.matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    /** The tokens of a chat prompt: every message's text plus its framing. */
    public static int prompt(JsonNode messages) {
        int total = PER_PROMPT;
        if (messages == null || !messages.isArray()) {
            return total;
        }
        for (JsonNode message : messages) {
            total += PER_MESSAGE + count(text(message.get("content")));
            JsonNode name = message.get("name");
            if (name != null && name.isString()) {
                total += count(name.asString());
            }
        }
        return total;
    }

    /** The text of a message's content: a string, or the text parts of an array of parts. */
    public static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode part : content) {
                JsonNode t = part.get("text");
                if (t != null && t.isString()) {
                    text.append(t.asString()).append(' ');
                }
            }
        }
        return text.toString();
    }
}
