package com.pictura.domain.wallet;

/**
 * What a call consumed: metadata only. Prompts and outputs never enter the ledger (Terms §8).
 *
 * @param inputTokens  tokens in the prompt (chat)
 * @param outputTokens tokens delivered to the client (chat)
 * @param images       images delivered (image models)
 * @param latencyMillis time from the call to its last byte
 */
public record Usage(long inputTokens, long outputTokens, int images, long latencyMillis) {

    public static final Usage NONE = new Usage(0, 0, 0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || images < 0 || latencyMillis < 0) {
            throw new IllegalArgumentException("usage cannot be negative");
        }
    }
}
