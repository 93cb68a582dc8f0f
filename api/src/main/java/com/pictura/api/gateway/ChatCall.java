package com.pictura.api.gateway;

import java.util.List;

import com.pictura.api.catalog.ModelEntry;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.inference.Pricing.ChatPrice;
import com.pictura.domain.wallet.Credits;

/**
 * A checked chat or text-completion request: what to hold, what to send, how to answer.
 *
 * @param inputTokens        the prompt estimate (with margin) that is held, limited and checked against the context
 * @param countedInputTokens the prompt's exact BPE count, charged when the upstream reports no usage
 * @param maxTokens          per answer
 * @param answers            how many answers the call asks for ({@code n}, times the prompts of a text completion)
 * @param legacyFunctions    the client used {@code functions}: tool calls are answered as {@code function_call}
 * @param chunkObject        the {@code object} of stream chunks ({@code chat.completion.chunk}, {@code text_completion})
 * @param ignoredFields      request fields Pictura does not know, dropped (named in {@code x-pictura-ignored-fields})
 */
record ChatCall(ModelEntry model, ChatPrice price, int inputTokens, int countedInputTokens, int maxTokens,
                int answers, boolean stream, boolean includeUsage, boolean legacyFunctions, String upstreamPath,
                String chunkObject, List<String> ignoredFields, byte[] upstreamBody) {

    /** The output tokens all answers together may use: what is held and rate-limited. */
    long maxOutputTokens() {
        return (long) maxTokens * answers;
    }

    Credits worstCase() {
        return Pricing.chatWorstCase(inputTokens, maxOutputTokens(), price);
    }
}
