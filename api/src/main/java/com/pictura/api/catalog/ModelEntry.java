package com.pictura.api.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.pictura.domain.inference.Pricing.ChatPrice;
import com.pictura.domain.wallet.Credits;

/** One model of the catalog, checked: what clients call it, where it runs and what it costs when. */
public record ModelEntry(String id, Type type, String ownedBy, List<Upstream> upstreams,
                         ChatSpec chat, ImageSpec image, EmbeddingSpec embedding, List<PriceEntry> prices) {

    public enum Type { CHAT, IMAGE, EMBEDDING }

    /**
     * One place the model runs: a provider and the model's name there.
     *
     * @param priority lower first; a fallback goes to the next priority only when every upstream of this one failed
     * @param weight   share of its priority's traffic
     */
    public record Upstream(ProviderEntry provider, String upstreamModel, int priority, int weight) {

        /** How the answer header and the usage metadata name it: the provider's catalog name. */
        public String name() {
            return provider.name();
        }
    }

    /** The first upstream: its model name is the one the checked request body carries. */
    public Upstream primary() {
        return upstreams.get(0);
    }

    public ProviderEntry provider() {
        return primary().provider();
    }

    public String upstreamModel() {
        return primary().upstreamModel();
    }

    /**
     * @param dimensions     the length of the model's vectors
     * @param maxInputTokens the most one input may have
     * @param maxInputs      the most inputs one request may embed
     */
    public record EmbeddingSpec(int dimensions, int maxInputTokens, int maxInputs) {
    }

    /** @param vision messages may carry image parts */
    public record ChatSpec(int contextLength, int defaultMaxTokens, boolean vision) {
    }

    /** @param qualities {@code quality} → steps; {@code outputFormats} always has {@code png} */
    public record ImageSpec(List<String> sizes, String defaultSize, int defaultSteps, int maxSteps, int maxN,
                            boolean supportsNegativePrompt, boolean supportsSeed, Map<String, Integer> qualities,
                            List<String> styles, List<String> backgrounds, List<String> outputFormats) {
    }

    /**
     * Prices in force from {@code effectiveFrom}: per million tokens (chat; embeddings have input tokens only, so
     * their output price is zero) or per image by size (image).
     */
    public record PriceEntry(Instant effectiveFrom, ChatPrice chat, Map<String, Credits> perImage) {
    }

    /** The prices in force at {@code at}: the latest whose date has come. */
    public PriceEntry priceAt(Instant at) {
        PriceEntry current = null;
        for (PriceEntry price : prices) {
            if (!price.effectiveFrom().isAfter(at)) {
                current = price;
            }
        }
        if (current == null) {
            throw new IllegalStateException("model " + id + " has no price in force at " + at);
        }
        return current;
    }

    /** The next announced change after {@code at}, if any. */
    public Optional<PriceEntry> nextPriceAfter(Instant at) {
        return prices.stream().filter(p -> p.effectiveFrom().isAfter(at)).findFirst();
    }

    public boolean isAvailableAt(Instant at) {
        return !prices.isEmpty() && !prices.get(0).effectiveFrom().isAfter(at);
    }
}
