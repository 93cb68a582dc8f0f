package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The gateway's own metrics, as Prometheus scrapes them: calls, tokens, credits, upstream outcomes, releases. */
class GatewayMetricsTest extends GatewayTestBase {

    private static final String CHAT = "llama-3.1-8b-instruct";

    /** The sum of the samples of {@code metric} whose labels contain every one of {@code labels}. */
    private double sample(String metric, String... labels) {
        String scrape = http.get("/actuator/prometheus", METRICS_TOKEN).body();
        return Arrays.stream(scrape.split("\n"))
                .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aCallAndAFailedCallShowInTheGatewaysMetrics() {
        Client client = client("metrics");
        double calls = sample("pictura_gateway_calls_total", "model=\"" + CHAT + "\"");
        double output = sample("pictura_gateway_tokens_total", "kind=\"output\"");
        double credits = sample("pictura_gateway_credits_charged_total");
        double ok = sample("pictura_gateway_upstream_seconds_count", "outcome=\"ok\"", "provider=\"simulator\"");
        double failed = sample("pictura_gateway_upstream_seconds_count", "outcome=\"status_5xx\"");
        double released = sample("pictura_gateway_releases_total", "reason=\"upstream_error\"");

        var answer = http.post("/v1/chat/completions", client.key(), chatBody(CHAT, "Count to three.", 16));
        var failure = http.post("/v1/chat/completions", client.key(), chatBody(CHAT, "#sim:error=503", 16));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(failure.status()).isEqualTo(502);
        long tokens = answer.json().at("/usage/completion_tokens").asLong();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(sample("pictura_gateway_calls_total", "model=\"" + CHAT + "\"")).isEqualTo(calls + 2);
            assertThat(sample("pictura_gateway_tokens_total", "kind=\"output\"")).isEqualTo(output + tokens);
            assertThat(sample("pictura_gateway_credits_charged_total")).isGreaterThan(credits);
            assertThat(sample("pictura_gateway_releases_total", "reason=\"upstream_error\"")).isEqualTo(released + 1);
        });
        assertThat(sample("pictura_gateway_upstream_seconds_count", "outcome=\"ok\"", "provider=\"simulator\""))
                .isEqualTo(ok + 1);
        assertThat(sample("pictura_gateway_upstream_seconds_count", "outcome=\"status_5xx\"")).isEqualTo(failed + 1);
        assertThat(http.get("/actuator/prometheus", METRICS_TOKEN).body()).contains("pictura_gateway_settlements_pending");
    }
}
