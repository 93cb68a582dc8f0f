package com.pictura.api.gateway;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.pictura.api.catalog.Catalog;
import com.pictura.api.catalog.ModelEntry;
import com.pictura.api.provider.ProviderClient;
import com.pictura.api.provider.UpstreamFailure;
import com.pictura.api.web.ApiException;
import com.pictura.domain.id.Ids;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/images/generations}: priced per image by size and steps, charged only for images delivered.
 * {@code response_format=url} images are kept in PostgreSQL for {@code pictura.gateway.image-url-ttl} (any node
 * can serve the link), then deleted.
 */
@RestController
public class ImagesController {

    static final Set<String> KNOWN = Set.of("model", "prompt", "n", "size", "response_format", "steps", "seed",
            "negative_prompt", "user");

    private final Catalog catalog;
    private final ProviderClient providers;
    private final RateLimiter rateLimiter;
    private final PaidCalls paidCalls;
    private final GatewayProperties properties;
    private final JdbcClient jdbc;
    private final Clock clock;
    /** Storing images for links is blocking work: never on Netty's event loop. */
    private final Executor storing = new ThreadPoolExecutor(1, 4, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(1000), runnable -> {
                Thread thread = new Thread(runnable, "image-links");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    public ImagesController(Catalog catalog, ProviderClient providers, RateLimiter rateLimiter, PaidCalls paidCalls,
                            GatewayProperties properties, JdbcClient jdbc, Clock clock) {
        this.catalog = catalog;
        this.providers = providers;
        this.rateLimiter = rateLimiter;
        this.paidCalls = paidCalls;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record ImageCall(ModelEntry model, int n, String size, int steps, boolean url, Credits perImage,
                     byte[] upstreamBody) {
    }

    @PostMapping("/v1/images/generations")
    public DeferredResult<ResponseEntity<byte[]>> generate(KeyCaller caller, HttpServletRequest request,
                                                           HttpServletResponse response,
                                                           @RequestHeader(value = Idempotency.HEADER,
                                                                   required = false) String idempotencyKey) {
        byte[] raw = JsonBodies.read(request, properties.maxBodyBytes());
        ImageCall call = validate(JsonBodies.object(raw));
        rateLimiter.admit(caller, 0, response);
        PaidCalls.Admitted admitted = paidCalls.admit(caller, idempotencyKey, request, raw, response, call.model(),
                Pricing.images(call.n(), call.perImage()), -1);
        DeferredResult<ResponseEntity<byte[]>> result;
        if (admitted.replay() != null) {
            result = new DeferredResult<>();
            result.setResult(admitted.replay());
            return result;
        }
        PaidCall paid = admitted.call();
        String base = ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
        result = paid.answerLater();
        DeferredResult<ResponseEntity<byte[]>> later = result;
        providers.call(call.model().provider(), "/images/generations", call.upstreamBody())
                .whenCompleteAsync((answer, error) -> {
                    try {
                        later.setResult(answer(call, paid, base, answer, error));
                    } catch (RuntimeException e) {
                        later.setErrorResult(e);
                    }
                }, storing);
        return result;
    }

    /** Charged only for the images delivered, at most n. */
    private ResponseEntity<byte[]> answer(ImageCall call, PaidCall paid, String base, ProviderClient.Answer answer,
                                          Throwable error) {
        ObjectNode body = null;
        UpstreamFailure failure = null;
        if (error != null) {
            failure = Replays.unwrap(error);
        } else if (answer.status() / 100 != 2) {
            failure = UpstreamFailure.fromAnswer(call.model().provider().name(), answer.status(), answer.body(), null);
        } else {
            try {
                body = JsonBodies.object(answer.body());
            } catch (ApiException e) {
                failure = new UpstreamFailure(UpstreamFailure.Kind.ERROR, 0, "invalid answer");
            }
        }
        ArrayNode data = body == null ? null : body.withArray("data");
        int delivered = 0;
        if (data != null) {
            for (JsonNode image : data) {
                if (image.path("b64_json").isString()) {
                    delivered++;
                }
            }
        }
        if (failure != null || delivered == 0) {
            paid.release(failure == null ? "no_images" : failure.reason());
            paid.unanswered();
            throw Replays.upstreamError(failure == null
                    ? new UpstreamFailure(UpstreamFailure.Kind.ERROR, 0, "no images") : failure);
        }
        int count = Math.min(delivered, call.n());
        Credits charged = paid.charge(0, 0, count, Pricing.images(count, call.perImage()));
        ObjectNode out = JsonBodies.JSON.createObjectNode();
        out.put("created", body.path("created").asLong(clock.millis() / 1000));
        ArrayNode images = out.putArray("data");
        int i = 0;
        for (JsonNode image : data) {
            if (!image.path("b64_json").isString() || i++ >= count) {
                continue;
            }
            if (call.url()) {
                images.addObject().put("url", base + "/v1/files/images/" + store(image.get("b64_json").asString())
                        + ".png");
            } else {
                images.addObject().put("b64_json", image.get("b64_json").asString());
            }
        }
        out.putObject("usage").put("images", count).put("size", call.size()).put("steps", call.steps())
                .put("cost", JsonBodies.number(charged));
        byte[] bytes = JsonBodies.JSON.writeValueAsBytes(out);
        paid.answered(200, MediaType.APPLICATION_JSON_VALUE, bytes);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(V1Headers.CREDITS_REMAINING, paid.remainingAfter(charged).toString())
                .body(bytes);
    }

    private String store(String base64) {
        String imageId = Ids.random("img_", 32);
        jdbc.sql("insert into image_results (image_id, png, expires_at) values (?, ?, ?)")
                .params(imageId, Base64.getDecoder().decode(base64),
                        Timestamp.from(clock.instant().plus(properties.imageUrlTtl())))
                .update();
        return imageId;
    }

    /** An image link: unguessable, public like a signed URL, gone after its time. */
    @GetMapping("/v1/files/images/{name}")
    public ResponseEntity<byte[]> image(@PathVariable String name) {
        String imageId = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        byte[] png = jdbc.sql("select png from image_results where image_id = ? and expires_at > ?")
                .params(imageId, Timestamp.from(clock.instant()))
                .query((rs, n) -> rs.getBytes(1))
                .optional()
                .orElseThrow(() -> ApiException.notFound("This image link does not exist or has expired."));
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                .cacheControl(CacheControl.noStore()).body(png);
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
        int steps = orDefault(Fields.optionalInt(body, "steps", 1, spec.maxSteps()), spec.defaultSteps());
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
        return new ImageCall(model, n, size, steps, !"b64_json".equals(format), perImage,
                JsonBodies.JSON.writeValueAsBytes(upstream));
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
