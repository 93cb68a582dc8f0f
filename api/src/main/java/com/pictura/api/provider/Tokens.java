package com.pictura.api.provider;

import java.util.ArrayList;
import java.util.List;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import tools.jackson.databind.JsonNode;

/**
 * Token counts with a real BPE tokenizer (OpenAI's {@code cl100k_base}, via jtokkit), and the prompt estimate the
 * gateway holds, rate-limits and checks the context with before it calls a provider.
 *
 * <p>{@link #count} is the BPE count of a text: what the simulator reports as usage, and what is charged for
 * output a provider delivered without reporting usage. {@link #prompt} is an estimate that must not come out
 * below what a real upstream will count, since the charge is capped at the hold: the content's BPE count with
 * a margin, plus chat framing (see {@link #MARGIN_PERCENT}). {@link #exactPrompt} is the count without margin,
 * as an OpenAI-style upstream reports it.
 *
 * <p>Why cl100k_base: Llama 3's tokenizer is cl100k's 100k tokens plus 28k more, Qwen 2.5's is derived from it
 * with more CJK tokens, and both split text with the same pattern (Qwen apart from digits), so a richer
 * vocabulary can only make fewer, longer tokens: cl100k counts as much or more for the catalog's models.
 * o200k_base counts far fewer tokens for CJK (about a third fewer) and could come out below them.
 */
public final class Tokens {

    /** One instance: loading the ranks is the expensive part; encoding is thread-safe. */
    private static final Encoding CL100K = Encodings.newDefaultEncodingRegistry()
            .getEncoding(EncodingType.CL100K_BASE);

    /**
     * The estimate's margin on the content's tokens, in percent: the catalog's tokenizers differ from cl100k in
     * their merges (a few percent either way on ordinary text), and the margin absorbs that. It is held and
     * limited, never charged: the charge is the provider's reported usage.
     */
    static final int MARGIN_PERCENT = 10;
    /**
     * Framing per message in the estimate: Llama 3 and Qwen 2.5 templates spend 5 tokens on each
     * ({@code <|start_header_id|>role<|end_header_id|>\n\n … <|eot_id|>}, {@code <|im_start|>role\n … <|im_end|>\n}),
     * OpenAI 3 (4 with a name); one more for slack.
     */
    static final int PER_MESSAGE = 6;
    /**
     * Framing per prompt in the estimate: begin-of-text, the assistant header that primes the reply (4), and the
     * default system prompt both templates insert when there is none (Llama 3.1's knowledge and today's date,
     * about 25 tokens; Qwen 2.5's "You are Qwen, created by Alibaba Cloud…", about 20).
     */
    static final int PER_PROMPT = 32;
    /** What an OpenAI-style upstream counts for framing, and so what the simulator reports. */
    static final int EXACT_PER_MESSAGE = 3;
    static final int EXACT_PER_NAME = 1;
    static final int EXACT_PER_PROMPT = 3;

    /**
     * The longest slice encoded at once. BPE on one long piece (a run of letters or base64 with no space) is
     * super-linear in jtokkit: a megabyte of one letter takes seconds whole, milliseconds in 2,048-character
     * slices. Slices are cut before a space that follows a non-space, where cl100k's pre-tokenizer starts a piece
     * anyway, so ordinary text counts exactly as if whole; only a space-less run longer than half a slice is cut
     * mid-run, which can add about one token per slice (never fewer, in practice).
     */
    static final int SLICE = 2048;

    private Tokens() {
    }

    /** The BPE (cl100k_base) count of {@code text}. */
    public static int count(CharSequence text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        String s = text.toString();
        int count = 0;
        int start = 0;
        while (start < s.length()) {
            int end = sliceEnd(s, start);
            count += CL100K.countTokensOrdinary(s.substring(start, end));
            start = end;
        }
        return count;
    }

    /**
     * {@code text} cut into its BPE tokens, as a model streams it (a multi-byte character split across tokens
     * stays whole in one piece). For short texts: the simulator's streamed JSON and tool-call arguments.
     */
    public static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        IntArrayList tokens = CL100K.encodeOrdinary(text);
        for (int i = 0; i < tokens.size(); i++) {
            IntArrayList one = new IntArrayList(1);
            one.add(tokens.get(i));
            pending.writeBytes(CL100K.decodeBytes(one));
            String piece = utf8(pending.toByteArray());
            if (piece != null) {
                pieces.add(piece);
                pending.reset();
            }
        }
        if (pending.size() > 0) {
            pieces.add(new String(pending.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return pieces;
    }

    private static String utf8(byte[] bytes) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private static int sliceEnd(String s, int start) {
        int limit = start + SLICE;
        if (limit >= s.length()) {
            return s.length();
        }
        for (int i = limit; i > start + SLICE / 2; i--) {
            if (s.charAt(i) == ' ' && !Character.isWhitespace(s.charAt(i - 1))) {
                return i;
            }
        }
        return Character.isHighSurrogate(s.charAt(limit - 1)) ? limit - 1 : limit;
    }

    /**
     * Framing of tool definitions in the estimate: per tool, and once for the instructions the Llama 3.1 and
     * Qwen 2.5 templates put before them ("You have access to the following functions…", about 60 tokens).
     */
    static final int PER_TOOL = 10;
    static final int PER_TOOLS = 96;
    /** What the exact count adds per tool definition and per tool call (their JSON framing). */
    static final int EXACT_PER_TOOL = 3;
    static final int EXACT_PER_TOOL_CALL = 3;

    /**
     * An image part counts as Llama 3.2 Vision reads it: up to 4 tiles of 560 × 560 pixels, 1,601 tokens each
     * (1,600 patches and a class token). The gateway does not decode images, so every image counts 4 tiles, and
     * {@code "detail": "low"} (one tile) 1,601. The same in the estimate and the exact count (no margin: it is a
     * worst case already); an upstream's own {@code prompt_tokens} is what is charged when it reports one.
     */
    public static final int IMAGE_TILE_TOKENS = 1601;
    static final int IMAGE_TILES = 4;

    /** {@link #prompt(JsonNode, JsonNode)} with no tools. */
    public static int prompt(JsonNode messages) {
        return prompt(messages, null);
    }

    /** {@link #exactPrompt(JsonNode, JsonNode)} with no tools. */
    public static int exactPrompt(JsonNode messages) {
        return exactPrompt(messages, null);
    }

    /**
     * The estimate of a chat prompt's tokens for holds, rate limits and the context check: the BPE count of every
     * message's content, name, tool calls and tool-call id, and of each tool definition (its {@code function} as
     * compact JSON, which is how the templates render them), plus {@link #MARGIN_PERCENT}, rounded up, plus
     * {@link #PER_MESSAGE}, {@link #PER_PROMPT}, {@link #PER_TOOL} and {@link #PER_TOOLS}. Digits add two thirds
     * of a token each before the margin: cl100k takes up to three digits per token, Qwen one. Never below
     * {@link #exactPrompt}.
     */
    public static int prompt(JsonNode messages, JsonNode tools) {
        long content = 0;
        long digits = 0;
        int count = 0;
        for (JsonNode message : iterable(messages)) {
            count++;
            for (String text : texts(message)) {
                content += count(text);
                digits += digits(text);
            }
        }
        int toolCount = 0;
        for (JsonNode tool : iterable(tools)) {
            toolCount++;
            String schema = schema(tool);
            content += count(schema);
            digits += digits(schema);
        }
        long tokens = content + ceilDiv(2 * digits, 3);
        long estimate = ceilDiv(tokens * (100 + MARGIN_PERCENT), 100) + images(messages)
                + (long) PER_MESSAGE * count + PER_PROMPT
                + (toolCount == 0 ? 0 : PER_TOOLS + (long) PER_TOOL * toolCount);
        return (int) Math.min(Integer.MAX_VALUE, estimate);
    }

    /**
     * A chat prompt's tokens as an OpenAI-style upstream counts them, without margin: every message's content,
     * name, tool calls and tool-call id, plus {@link #EXACT_PER_MESSAGE} per message, {@link #EXACT_PER_NAME} per
     * name, {@link #EXACT_PER_TOOL_CALL} per tool call and {@link #EXACT_PER_PROMPT}; each tool definition counts
     * its compact JSON plus {@link #EXACT_PER_TOOL}. The simulator reports this as {@code prompt_tokens}.
     */
    public static int exactPrompt(JsonNode messages, JsonNode tools) {
        long total = EXACT_PER_PROMPT + images(messages);
        for (JsonNode message : iterable(messages)) {
            total += EXACT_PER_MESSAGE;
            for (String text : texts(message)) {
                total += count(text);
            }
            if (message.path("name").isString()) {
                total += EXACT_PER_NAME;
            }
            total += (long) EXACT_PER_TOOL_CALL * message.path("tool_calls").size();
        }
        for (JsonNode tool : iterable(tools)) {
            total += EXACT_PER_TOOL + count(schema(tool));
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    /**
     * The output tokens of one answer choice (its {@code message}, a stream's {@code delta}, or a text
     * completion's {@code text}): content plus the name and arguments of every tool call.
     */
    public static int output(JsonNode choice) {
        long total = count(choice.path("text").asString(""));
        for (String part : List.of("message", "delta")) {
            JsonNode message = choice.get(part);
            if (message != null && message.isObject()) {
                total += count(text(message.get("content")));
                for (JsonNode call : message.path("tool_calls")) {
                    total += count(call.path("function").path("name").asString(""))
                            + count(call.path("function").path("arguments").asString(""));
                }
                JsonNode function = message.path("function_call");
                total += count(function.path("name").asString("")) + count(function.path("arguments").asString(""));
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    /** Special tokens around a text completion's prompt (BOS), as Llama and Qwen servers count them. */
    public static final int COMPLETION_SPECIAL = 1;
    /** Special tokens around an embedding input ([CLS] and [SEP] of BGE's XLM-R tokenizer). */
    public static final int EMBEDDING_SPECIAL = 2;

    /**
     * The estimate of a plain text's tokens (a text completion's prompt, an embedding's input): its BPE count
     * with the digits' extra and {@link #MARGIN_PERCENT}, plus {@code special} tokens the model adds (BOS, EOS).
     */
    public static int textEstimate(String text, int special) {
        long tokens = count(text) + ceilDiv(2 * digits(text), 3);
        return (int) Math.min(Integer.MAX_VALUE, ceilDiv(tokens * (100 + MARGIN_PERCENT), 100) + special);
    }

    /** A plain text's exact count as an upstream reports it: its BPE count plus the {@code special} tokens. */
    public static int exactText(String text, int special) {
        return count(text) + special;
    }

    /** The strings of a message that reach the model: content, name, tool calls and the id a result answers. */
    private static List<String> texts(JsonNode message) {
        List<String> texts = new ArrayList<>();
        texts.add(text(message.get("content")));
        if (message.path("name").isString()) {
            texts.add(message.get("name").asString());
        }
        if (message.path("tool_call_id").isString()) {
            texts.add(message.get("tool_call_id").asString());
        }
        for (JsonNode call : message.path("tool_calls")) {
            texts.add(call.path("function").path("name").asString(""));
            texts.add(call.path("function").path("arguments").asString(""));
        }
        return texts;
    }

    private static String schema(JsonNode tool) {
        JsonNode function = tool.has("function") ? tool.get("function") : tool;
        return function.toString();
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        return array != null && array.isArray() ? array : List.of();
    }

    /** The tokens of the image parts of every message, by {@link #IMAGE_TILE_TOKENS}' rule. */
    static long images(JsonNode messages) {
        long tokens = 0;
        for (JsonNode message : iterable(messages)) {
            for (JsonNode part : iterable(message.get("content"))) {
                if ("image_url".equals(part.path("type").asString(""))) {
                    boolean low = "low".equals(part.path("image_url").path("detail").asString(""));
                    tokens += (long) IMAGE_TILE_TOKENS * (low ? 1 : IMAGE_TILES);
                }
            }
        }
        return tokens;
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

    private static long digits(String text) {
        long digits = 0;
        for (int i = 0; i < text.length(); i++) {
            if (Character.isDigit(text.charAt(i))) {
                digits++;
            }
        }
        return digits;
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
