package com.pictura.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

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
    void prometheusExposesAxonAndJvmMetrics() {
        signUp("metrics");

        var metrics = http.get("/actuator/prometheus", null);

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("commandBus_");
    }

    @Test
    void unknownEndpointsAnswerInTheErrorShape() {
        var missing = http.get("/api/nothing-here", null);

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/error/code").asString()).isEqualTo("not_found");
    }
}
