package com.pictura.api.gateway;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.pictura.api.gateway.ImageRequests.ImageCall;
import com.pictura.api.provider.UpstreamCalls;
import com.pictura.api.provider.UpstreamFailure;
import com.pictura.api.web.ApiException;
import com.pictura.billing.stripe.PublicUrl;
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

    private final ImageRequests requests;
    private final UpstreamCalls upstreams;
    private final RateLimiter rateLimiter;
    private final PaidCalls paidCalls;
    private final GatewayProperties properties;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final PublicUrl publicUrl;
    /** Storing images for links is blocking work: never on Netty's event loop. */
    private final Executor storing = new ThreadPoolExecutor(1, 4, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(1000), runnable -> {
                Thread thread = new Thread(runnable, "image-links");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    ImagesController(ImageRequests requests, UpstreamCalls upstreams, RateLimiter rateLimiter, PaidCalls paidCalls,
                     GatewayProperties properties, JdbcClient jdbc, Clock clock, PublicUrl publicUrl) {
        this.requests = requests;
        this.upstreams = upstreams;
        this.rateLimiter = rateLimiter;
        this.paidCalls = paidCalls;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
        this.publicUrl = publicUrl;
    }

    @PostMapping("/v1/images/generations")
    public DeferredResult<ResponseEntity<byte[]>> generate(KeyCaller caller, HttpServletRequest request,
                                                           HttpServletResponse response,
                                                           @RequestHeader(value = Idempotency.HEADER,
                                                                   required = false) String idempotencyKey) {
        byte[] raw = JsonBodies.read(request, properties.maxBodyBytes());
        ImageCall call = requests.validate(JsonBodies.object(raw));
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
        // From configuration, never from the request's Host header, which the client chooses.
        String base = publicUrl.base();
        result = paid.answerLater();
        DeferredResult<ResponseEntity<byte[]>> later = result;
        upstreams.call(call.model(), "/images/generations", call.upstreamBody())
                .whenCompleteAsync((served, error) -> {
                    try {
                        later.setResult(answer(call, paid, base, served, error));
                    } catch (RuntimeException e) {
                        later.setErrorResult(e);
                    }
                }, storing);
        return result;
    }

    /** Charged only for the images delivered, at most n. */
    private ResponseEntity<byte[]> answer(ImageCall call, PaidCall paid, String base, UpstreamCalls.Served served,
                                          Throwable error) {
        ObjectNode body = null;
        UpstreamFailure failure = null;
        if (error != null) {
            failure = Replays.unwrap(error);
        } else {
            try {
                body = JsonBodies.object(served.answer().body());
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
        Credits charged = paid.charge(0, 0, count, Pricing.images(count, call.perImage()), served.upstream().name());
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
                        + "." + call.outputFormat());
            } else {
                images.addObject().put("b64_json", image.get("b64_json").asString());
            }
        }
        ObjectNode usage = out.putObject("usage").put("images", count).put("size", call.size())
                .put("steps", call.steps());
        if (call.quality() != null) {
            usage.put("quality", call.quality());
        }
        usage.put("cost", JsonBodies.number(charged));
        out.put("output_format", call.outputFormat());
        byte[] bytes = JsonBodies.JSON.writeValueAsBytes(out);
        paid.answered(200, MediaType.APPLICATION_JSON_VALUE, bytes);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(V1Headers.CREDITS_REMAINING, paid.remainingAfter(charged).toString())
                .header(V1Headers.UPSTREAM, served.upstream().name())
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
        String imageId = name.replaceFirst("\\.(png|jpeg)$", "");
        byte[] png = jdbc.sql("select png from image_results where image_id = ? and expires_at > ?")
                .params(imageId, Timestamp.from(clock.instant()))
                .query((rs, n) -> rs.getBytes(1))
                .optional()
                .orElseThrow(() -> ApiException.notFound("This image link does not exist or has expired."));
        // the bytes say what they are: JPEG starts FF D8, PNG 89 'P'
        boolean jpeg = png.length > 1 && (png[0] & 0xFF) == 0xFF && (png[1] & 0xFF) == 0xD8;
        return ResponseEntity.ok().contentType(jpeg ? MediaType.IMAGE_JPEG : MediaType.IMAGE_PNG)
                .cacheControl(CacheControl.noStore()).body(png);
    }
}
