package com.pictura.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

import com.pictura.PicturaApplication;
import com.pictura.api.IntegrationTest;
import com.pictura.api.RawHttp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Production-safe defaults: outside the embedded default the simulators need an explicit yes, Docker Compose starts
 * without them, and the model simulator answers only loopback.
 */
class ProductionSafetyTest extends IntegrationTest {

    @Test
    void aDatabaseOfItsOwnWithTheSimulatorsOnRefusesToStartBeforeTouchingAnything() {
        // Nothing listens on port 9: had the guard let the start go on, the failure would be a connection error.
        assertThatThrownBy(() -> new SpringApplicationBuilder(PicturaApplication.class).run("--server.port=0",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:9/none", "--spring.main.banner-mode=off"))
                .hasMessageContaining("Refusing to start")
                .hasMessageContaining("Stripe simulator")
                .hasMessageContaining("model simulator")
                .hasMessageContaining("PICTURA_STRIPE_SIMULATOR_ALLOWED")
                .hasMessageContaining("PICTURA_MAIL_OUTBOX_ALLOWED");
    }

    @Test
    void eachSimulatorNeedsItsOwnExplicitYesOutsideTheEmbeddedDefault() {
        assertThat(SimulatorGuard.refusals(environment(Map.of()), true)).isEmpty();
        assertThat(SimulatorGuard.refusals(environment(Map.of()), false)).hasSize(3);
        assertThat(SimulatorGuard.refusals(environment(Map.of("pictura.billing.stripe.simulator-allowed", "true",
                "spring.mail.host", "smtp.example")), false))
                .singleElement().asString().contains("model simulator");
        // Without a mail server, a verification link would be shown to whoever signed up with the address.
        assertThat(SimulatorGuard.refusals(environment(Map.of("pictura.billing.stripe.api-key", "sk_test_x",
                "pictura.simulator.enabled", "false")), false)).singleElement().asString().contains("SPRING_MAIL_HOST");
        assertThat(SimulatorGuard.refusals(environment(Map.of("pictura.billing.stripe.api-key", "sk_test_x",
                "pictura.simulator.enabled", "false", "spring.mail.host", "smtp.example")), false)).isEmpty();
        assertThat(SimulatorGuard.refusals(environment(Map.of("pictura.billing.stripe.simulator-allowed", "true",
                "pictura.simulator.allowed", "true", "pictura.mail.outbox-allowed", "true")), false)).isEmpty();
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return env;
    }

    @Test
    void dockerComposeStartsWithADatabaseOfItsOwnAndNoSimulatorAllowed() throws IOException {
        Path compose = Path.of("..", "docker-compose.yml");
        String text = Files.readString(compose);

        assertThat(text).contains("SPRING_DATASOURCE_URL: jdbc:postgresql://postgres:5432/pictura")
                .contains("PICTURA_STRIPE_SIMULATOR_ALLOWED: ${PICTURA_STRIPE_SIMULATOR_ALLOWED:-false}")
                .contains("PICTURA_SIMULATOR_ALLOWED: ${PICTURA_SIMULATOR_ALLOWED:-false}")
                .contains("PICTURA_MAIL_OUTBOX_ALLOWED: ${PICTURA_MAIL_OUTBOX_ALLOWED:-false}")
                .contains("stop_grace_period");
    }

    @Test
    void theModelSimulatorAnswersOnlyLoopback() throws SocketException {
        Optional<InetAddress> outside = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        Assumptions.assumeTrue(outside.isPresent(), "this machine has no non-loopback IPv4 address to call from");
        byte[] body = "{\"model\":\"x\",\"messages\":[]}".getBytes();

        var fromOutside = RawHttp.send(outside.get().getHostAddress(), port, "POST", "/simulator/v1/chat/completions",
                body, false, "Content-Type", "application/json");
        var fromLoopback = RawHttp.send("127.0.0.1", port, "POST", "/simulator/v1/chat/completions", body, false,
                "Content-Type", "application/json");

        assertThat(fromOutside.status()).isEqualTo(404);
        assertThat(fromLoopback.status()).isEqualTo(401); // reached the simulator, which wants its key
    }

    @Test
    void readinessIncludesTheDatabase() {
        var readiness = http.get("/actuator/health/readiness", null);

        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().at("/components/db/status").asString()).isEqualTo("UP");
    }
}
