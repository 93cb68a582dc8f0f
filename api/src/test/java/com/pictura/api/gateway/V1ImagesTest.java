package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;

import javax.imageio.ImageIO;

import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class V1ImagesTest extends GatewayTestBase {

    private Credits perImage(String model, String size, int steps) {
        var entry = catalog.find(model).orElseThrow();
        return Pricing.image(entry.priceAt(java.time.Instant.now()).perImage().get(size), steps,
                entry.image().defaultSteps());
    }

    @Test
    void b64ImagesAreRealPngsOfTheRequestedSizeChargedPerImageBySizeAndSteps() throws Exception {
        Client client = client("images-b64");
        var response = http.post("/v1/images/generations", client.key(), Map.of("model", "sdxl",
                "prompt", "a lighthouse at dusk", "n", 2, "size", "512x512", "steps", 40, "seed", 7,
                "negative_prompt", "blurry", "response_format", "b64_json"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode data = response.json().get("data");
        assertThat(data).hasSize(2);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(data.get(0).get("b64_json").asString())));
        assertThat(image.getWidth()).isEqualTo(512);
        assertThat(image.getHeight()).isEqualTo(512);
        Credits cost = perImage("sdxl", "512x512", 40).times(2);
        assertThat(response.json().get("usage").get("cost").decimalValue())
                .isEqualByComparingTo(new BigDecimal(cost.toString()));
        awaitBalance(client, Credits.of(25).minus(cost));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
    }

    @Test
    void urlImagesAreServedBrieflyThenGone() throws Exception {
        Client client = client("images-url");
        var response = http.post("/v1/images/generations", client.key(), Map.of("model", "flux-schnell",
                "prompt", "a red kite", "size", "256x256", "response_format", "url"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String url = response.json().get("data").get(0).get("url").asString();
        assertThat(url).startsWith("http://").contains("/v1/files/images/");

        HttpClient client2 = HttpClient.newHttpClient();
        HttpResponse<byte[]> png = client2.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(ImageIO.read(new ByteArrayInputStream(png.body())).getWidth()).isEqualTo(256);

        Credits cost = perImage("flux-schnell", "256x256", 4);
        awaitBalance(client, Credits.of(25).minus(cost));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");

        String imageId = url.substring(url.lastIndexOf('/') + 1).replace(".png", "");
        jdbc.sql("update image_results set expires_at = now() - interval '1 second' where image_id = ?")
                .param(imageId).update();
        assertThat(client2.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(404);
    }

    @Test
    void imageParametersAreValidatedAgainstTheModel() {
        Client client = client("images-invalid");
        var negative = http.post("/v1/images/generations", client.key(), Map.of("model", "flux-schnell",
                "prompt", "x", "negative_prompt", "y"));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().get("error").get("param").asString()).isEqualTo("negative_prompt");
        var size = http.post("/v1/images/generations", client.key(), Map.of("model", "sdxl", "prompt", "x",
                "size", "333x333"));
        assertThat(size.json().get("error").get("param").asString()).isEqualTo("size");
        var steps = http.post("/v1/images/generations", client.key(), Map.of("model", "flux-schnell", "prompt", "x",
                "steps", 99));
        assertThat(steps.json().get("error").get("param").asString()).isEqualTo("steps");
        var n = http.post("/v1/images/generations", client.key(), Map.of("model", "sdxl", "prompt", "x", "n", 11));
        assertThat(n.json().get("error").get("param").asString()).isEqualTo("n");
    }

    @Test
    void imagesThatCannotBePaidForAre402BeforeAnyProviderCall() {
        Client client = client("images-poor");
        setAvailable(client, Credits.parse("0.1"));
        long calls = simulator.calls();
        var response = http.post("/v1/images/generations", client.key(), Map.of("model", "flux-dev",
                "prompt", "a castle", "n", 2));
        assertThat(response.status()).isEqualTo(402);
        assertThat(response.json().get("error").get("message").asString()).contains("5.000000").contains("0.100000");
        assertThat(simulator.calls()).isEqualTo(calls);
    }

    @Test
    void aFailedImageCallIsChargedNothing() {
        Client client = client("images-fail");
        var response = http.post("/v1/images/generations", client.key(), Map.of("model", "dreamshaper-8",
                "prompt", "a cat #sim:error=500"));
        assertThat(response.status()).isEqualTo(502);
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "release");
        awaitBalance(client, Credits.of(25));
    }
}
