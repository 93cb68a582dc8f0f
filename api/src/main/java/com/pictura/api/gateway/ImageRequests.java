package com.pictura.api.gateway;

import java.time.Clock;
import java.util.Collection;
import java.util.Set;

import com.pictura.api.catalog.Catalog;
import com.pictura.api.catalog.ModelEntry;
import com.pictura.api.web.ApiException;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a {@code /v1/images/generations} body against the model's catalog entry: each option (size, steps,
 * seed, negative prompt, and OpenAI's {@code quality}, {@code style}, {@code background}, {@code output_format})
 * only where the model offers it, else 400 naming it. A {@code quality} is a number of steps, so it is priced
 * as those steps are.
 */
@Component
class ImageRequests {

    static final Set<String> KNOWN = Set.of("model", "prompt", "n", "size", "response_format", "steps", "seed",
            "negative_prompt", "user", "quality", "style", "background", "output_format");

    private final Catalog catalog;
    private final Clock clock;

    ImageRequests(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /** @param quality as asked, or null; {@code steps} is what it stands for */
    record ImageCall(ModelEntry model, int n, String size, int steps, String quality, String outputFormat,
                     boolean url, Credits perImage, byte[] upstreamBody) {
    }

    ImageCall validate(ObjectNode body) {
        Fields.onlyKnown(body, KNOWN);
        String modelId = Fields.requiredString(body, "model", 200);
        ModelEntry model = catalog.require(modelId, ModelEntry.Type.IMAGE, clock.instant());
        ModelEntry.ImageSpec spec = model.image();
        String prompt = Fields.requiredString(body, "prompt", 4000);
        int n = orDefault(Fields.optionalInt(body, "n", 1, spec.maxN()), 1);
        String size = Fields.optionalString(body, "size", 20);
        if (size == null || "auto".equals(size)) {
            size = spec.defaultSize();
        }
        if (!spec.sizes().contains(size)) {
            throw ApiException.invalid("size", "'size' must be one of " + spec.sizes() + " for " + modelId + ".");
        }
        String format = Fields.optionalString(body, "response_format", 20);
        if (format != null && !format.equals("url") && !format.equals("b64_json")) {
            throw ApiException.invalid("response_format", "'response_format' must be 'url' or 'b64_json'.");
        }
        Integer askedSteps = Fields.optionalInt(body, "steps", 1, spec.maxSteps());
        String quality = option(body, "quality", spec.qualities().keySet(), modelId);
        if (quality != null && askedSteps != null) {
            throw ApiException.invalid("quality", "Give 'quality' or 'steps', not both: a quality is a number of steps.");
        }
        int steps = quality != null ? spec.qualities().get(quality)
                : orDefault(askedSteps, spec.defaultSteps());
        String style = option(body, "style", spec.styles(), modelId);
        String background = option(body, "background", spec.backgrounds(), modelId);
        String outputFormat = option(body, "output_format", spec.outputFormats(), modelId);
        outputFormat = outputFormat == null ? "png" : outputFormat;
        if ("transparent".equals(background) && !outputFormat.equals("png")) {
            throw ApiException.invalid("background", "A transparent background needs output_format png.");
        }
        Long seed = Fields.optionalLong(body, "seed");
        if (seed != null && !spec.supportsSeed()) {
            throw ApiException.invalid("seed", modelId + " does not support 'seed'.");
        }
        String negative = Fields.optionalString(body, "negative_prompt", 4000);
        if (negative != null && !spec.supportsNegativePrompt()) {
            throw ApiException.invalid("negative_prompt", modelId + " does not support 'negative_prompt'.");
        }
        Fields.optionalString(body, "user", 256);
        Credits perImage = Pricing.image(model.priceAt(clock.instant()).perImage().get(size), steps,
                spec.defaultSteps());
        ObjectNode upstream = JsonBodies.JSON.createObjectNode();
        upstream.put("model", model.upstreamModel()).put("prompt", prompt).put("n", n).put("size", size)
                .put("response_format", "b64_json").put("steps", steps);
        if (seed != null) {
            upstream.put("seed", seed);
        }
        if (negative != null) {
            upstream.put("negative_prompt", negative);
        }
        if (style != null) {
            upstream.put("style", style);
        }
        if (background != null) {
            upstream.put("background", background);
        }
        upstream.put("output_format", outputFormat);
        return new ImageCall(model, n, size, steps, quality, outputFormat, !"b64_json".equals(format), perImage,
                JsonBodies.JSON.writeValueAsBytes(upstream));
    }

    /** An optional string option that must be one the model offers. */
    private static String option(ObjectNode body, String name, Collection<String> offered, String modelId) {
        String value = Fields.optionalString(body, name, 32);
        if (value != null && !offered.contains(value)) {
            throw ApiException.invalid(name, offered.isEmpty() ? modelId + " does not support '" + name + "'."
                    : "'" + name + "' must be one of " + offered + " for " + modelId + ".");
        }
        return value;
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
