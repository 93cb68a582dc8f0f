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
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;

/** OpenAI's image options where the model offers them: quality priced as its steps, style, background, format. */
class V1ImageOptionsTest extends GatewayTestBase {

    private Credits perImage(String model, String size, int steps) {
        var entry = catalog.find(model).orElseThrow();
        return Pricing.image(entry.priceAt(java.time.Instant.now()).perImage().get(size), steps,
                entry.image().defaultSteps());
    }

    @Test
    void qualityIsPricedAsItsStepsAndStyleBackgroundAndFormatAreHonoured() throws Exception {
        Client client = client("image-options");
        var hd = http.post("/v1/images/generations", client.key(), Map.of("model", "sdxl", "prompt", "a harbour",
                "size", "512x512", "quality", "hd", "style", "natural", "background", "transparent",
                "response_format", "b64_json"));
        assertThat(hd.status()).as(hd.body()).isEqualTo(200);
        int hdSteps = catalog.find("sdxl").orElseThrow().image().qualities().get("hd");
        Credits hdCost = perImage("sdxl", "512x512", hdSteps);
        assertThat(hdCost).isGreaterThan(perImage("sdxl", "512x512", 30));
        assertThat(hd.json().get("usage").get("steps").asInt()).isEqualTo(hdSteps);
        assertThat(hd.json().get("usage").get("quality").asString()).isEqualTo("hd");
        assertThat(hd.json().get("usage").get("cost").decimalValue())
                .isEqualByComparingTo(new BigDecimal(hdCost.toString()));
        BufferedImage transparent = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(hd.json().get("data").get(0).get("b64_json").asString())));
        assertThat(transparent.getColorModel().hasAlpha()).isTrue();

        var jpeg = http.post("/v1/images/generations", client.key(), Map.of("model", "flux-schnell",
                "prompt", "a harbour", "size", "256x256", "output_format", "jpeg"));
        assertThat(jpeg.status()).as(jpeg.body()).isEqualTo(200);
        String url = jpeg.json().get("data").get(0).get("url").asString();
        assertThat(url).endsWith(".jpeg");
        HttpResponse<byte[]> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.headers().firstValue("content-type")).hasValue("image/jpeg");
        assertThat(file.body()[0] & 0xFF).isEqualTo(0xFF);
        assertThat(file.body()[1] & 0xFF).isEqualTo(0xD8);
        Credits jpegCost = perImage("flux-schnell", "256x256", 4);

        awaitBalance(client, Credits.of(25).minus(hdCost).minus(jpegCost));
    }

    @Test
    void optionsTheModelDoesNotOfferAre400AndHoldNothing() {
        Client client = client("image-options-bad");
        long calls = simulator.calls();
        List<Map.Entry<String, Map<String, Object>>> cases = List.of(
                Map.entry("style", Map.of("model", "flux-schnell", "prompt", "x", "style", "vivid")),
                Map.entry("background", Map.of("model", "flux-schnell", "prompt", "x", "background", "transparent")),
                Map.entry("output_format", Map.of("model", "sdxl", "prompt", "x", "output_format", "webp")),
                Map.entry("quality", Map.of("model", "sdxl", "prompt", "x", "quality", "hd", "steps", 20)),
                Map.entry("background", Map.of("model", "sdxl", "prompt", "x", "background", "transparent",
                        "output_format", "jpeg")));
        cases.forEach(c -> {
            String param = c.getKey();
            Map<String, Object> request = c.getValue();
            var refused = http.post("/v1/images/generations", client.key(), request);
            assertThat(refused.status()).as(param + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.json().get("error").get("param").asString()).isEqualTo(param);
        });
        var dreamshaper = http.post("/v1/images/generations", client.key(),
                Map.of("model", "dreamshaper-8", "prompt", "x", "quality", "hd"));
        assertThat(dreamshaper.status()).isEqualTo(400);
        assertThat(simulator.calls()).isEqualTo(calls);
        assertThat(ledger(client, 1)).containsExactly("grant");
    }
}
