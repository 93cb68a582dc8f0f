package com.pictura.api.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The model catalog as written in {@code gateway.yml}: configuration, not code. Checked and turned into a
 * {@link Catalog} at start-up, so a mistake stops the application instead of mispricing a call.
 */
@ConfigurationProperties("pictura.catalog")
public record CatalogProperties(Map<String, Provider> providers, Map<String, Model> models) {

    /**
     * An OpenAI-compatible upstream.
     *
     * @param baseUrl          e.g. {@code https://api.together.xyz/v1}; {@code self} is the built-in simulator
     * @param apiKeyRef        the name of the environment variable or property holding the upstream key (the key
     *                         itself never sits in the catalog); empty for none
     * @param connectTimeout   to open the connection
     * @param firstByteTimeout from the request to the first byte of the answer
     * @param totalTimeout     from the request to the last byte
     */
    public record Provider(String baseUrl, String apiKeyRef, Duration connectTimeout, Duration firstByteTimeout,
                           Duration totalTimeout) {
    }

    /**
     * @param type          {@code chat}, {@code image} or {@code embedding}
     * @param provider      a key of {@code providers}: the one upstream, when {@code upstreams} is empty
     * @param upstreamModel the model's name at that provider
     * @param upstreams     several upstreams for fallback; when given, {@code provider} and {@code upstreamModel}
     *                      are not used
     */
    public record Model(String type, String provider, String upstreamModel, List<Upstream> upstreams, String ownedBy,
                        Chat chat, Image image, Embedding embedding, List<Price> prices) {
    }

    /**
     * One place a model runs.
     *
     * @param priority lower is tried first; upstreams of one priority share its traffic by {@code weight}
     * @param weight   relative share within its priority (default 1)
     */
    public record Upstream(String provider, String upstreamModel, Integer priority, Integer weight) {
    }

    /** An embedding model: vector length, the longest input, the most inputs per request (default 2048). */
    public record Embedding(Integer dimensions, Integer maxInputTokens, Integer maxInputs) {
    }

    /** @param vision whether messages may carry image parts ({@code image_url}) */
    public record Chat(Integer contextLength, Integer defaultMaxTokens, Boolean vision) {
    }

    /**
     * @param sizes                  the sizes offered, e.g. {@code 1024x1024}
     * @param defaultSize            used when the request names none
     * @param defaultSteps           the steps the per-image price is quoted at
     * @param maxSteps               the most a request may ask for
     * @param maxN                   the most images one request may ask for
     * @param supportsNegativePrompt whether {@code negative_prompt} is passed through (FLUX has none)
     * @param qualities              {@code quality} values offered, each a number of steps (priced as steps are)
     * @param styles                 {@code style} values passed through; none when empty
     * @param backgrounds            {@code background} values passed through ({@code transparent} needs PNG)
     * @param outputFormats          {@code output_format} values offered; {@code png} only when empty
     */
    public record Image(List<String> sizes, String defaultSize, Integer defaultSteps, Integer maxSteps, Integer maxN,
                        Boolean supportsNegativePrompt, Boolean supportsSeed, Map<String, Integer> qualities,
                        List<String> styles, List<String> backgrounds, List<String> outputFormats) {
    }

    /**
     * Prices from {@code effectiveFrom} on, in credits as decimals ({@code "0.25"}). A future
     * {@code effectiveFrom} announces a change ahead of time; {@code /v1/models} shows it.
     *
     * @param perImage per image by size, at the model's default steps
     */
    public record Price(Instant effectiveFrom, String inputPerMillion, String outputPerMillion,
                        Map<String, String> perImage) {
    }
}
