package com.pictura.api.provider;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
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
     * The estimate of a chat prompt's tokens for holds, rate limits and the context check: the content's BPE
     * count plus {@link #MARGIN_PERCENT}, rounded up, plus {@link #PER_MESSAGE} and {@link #PER_PROMPT}. Digits
     * add two thirds of a token each before the margin: cl100k takes up to three digits per token, Qwen one.
     * Never below {@link #exactPrompt}.
     */
    public static int prompt(JsonNode messages) {
        long content = 0;
        long digits = 0;
        int count = 0;
        if (messages != null && messages.isArray()) {
            for (JsonNode message : messages) {
                count++;
                String text = text(message.get("content"));
                content += count(text);
                digits += digits(text);
                JsonNode name = message.get("name");
                if (name != null && name.isString()) {
                    content += count(name.asString());
                    digits += digits(name.asString());
                }
            }
        }
        long tokens = content + ceilDiv(2 * digits, 3);
        long estimate = ceilDiv(tokens * (100 + MARGIN_PERCENT), 100) + (long) PER_MESSAGE * count + PER_PROMPT;
        return (int) Math.min(Integer.MAX_VALUE, estimate);
    }

    /**
     * A chat prompt's tokens as an OpenAI-style upstream counts them, without margin: every message's content and
     * name, plus {@link #EXACT_PER_MESSAGE} per message, {@link #EXACT_PER_NAME} per name and
     * {@link #EXACT_PER_PROMPT}. The simulator reports this as {@code prompt_tokens}.
     */
    public static int exactPrompt(JsonNode messages) {
        long total = EXACT_PER_PROMPT;
        if (messages != null && messages.isArray()) {
            for (JsonNode message : messages) {
                total += EXACT_PER_MESSAGE + count(text(message.get("content")));
                JsonNode name = message.get("name");
                if (name != null && name.isString()) {
                    total += EXACT_PER_NAME + count(name.asString());
                }
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
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
