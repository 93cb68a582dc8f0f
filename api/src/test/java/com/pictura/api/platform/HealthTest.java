package com.pictura.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;

class HealthTest extends IntegrationTest {

    @Test
    void healthIsUpWithTheDatabase() {
        var health = http.get("/actuator/health", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusExposesTheProcessorsLagAndJvmMetrics() {
        signUp("metrics");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var metrics = http.get("/actuator/prometheus", METRICS_TOKEN);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes")
                    .containsPattern("pictura_event_processor_lag_events\\{[^}]*processor=\"balances\"[^}]*} 0\\.0");
        });
    }

    @Test
    void metricsAnswerOnlyToTheMetricsTokenWhileHealthStaysOpen() {
        Person person = signUp("not-prometheus");
        for (String path : new String[] {"/actuator/prometheus", "/actuator/metrics", "/actuator/info", "/actuator"}) {
            assertThat(http.get(path, null).status()).as(path + " without a token").isEqualTo(401);
            assertThat(http.get(path, "wrong-token").status()).as(path + " with another token").isEqualTo(401);
            assertThat(http.get(path, person.session()).status()).as(path + " with a session").isEqualTo(401);
        }
        assertThat(http.get("/actuator/metrics", METRICS_TOKEN).status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/liveness", null).status()).isEqualTo(200);
    }

    @Test
    void unknownEndpointsAnswerInTheErrorShape() {
        var missing = http.get("/api/nothing-here", null);

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/error/code").asString()).isEqualTo("not_found");
    }
}
