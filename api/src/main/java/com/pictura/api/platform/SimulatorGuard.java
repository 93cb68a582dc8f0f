package com.pictura.api.platform;

import java.util.ArrayList;
import java.util.List;

import com.pictura.api.database.EmbeddedPostgresEnvironment;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Production-safe defaults: the built-in simulators (free credits through the Stripe simulator, simulated answers
 * from the model simulator) and the built-in outbox (verification links readable by whoever signed up, so an
 * address nobody owns counts as verified) are the embedded default's, for a quick start that works offline. Any
 * other configuration (a database of its own: Docker Compose, a real deployment) refuses to start with any of them
 * on, unless an explicit setting allows it ({@code PICTURA_STRIPE_SIMULATOR_ALLOWED},
 * {@code PICTURA_SIMULATOR_ALLOWED}, {@code PICTURA_MAIL_OUTBOX_ALLOWED}); and whenever one is on, the start-up
 * log says so loudly.
 *
 * <p>Checked before the application context exists, so a refused start touches nothing, not even the database.
 */
public class SimulatorGuard implements EnvironmentPostProcessor, Ordered {

    private final Log log;

    public SimulatorGuard(DeferredLogFactory logs) {
        this.log = logs.getLog(SimulatorGuard.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        boolean embedded = env.getPropertySources().contains(EmbeddedPostgresEnvironment.PROPERTY_SOURCE);
        List<String> refused = refusals(env, embedded);
        if (!refused.isEmpty()) {
            throw new IllegalStateException("Refusing to start: this is not the embedded default (a database is "
                    + "configured), and " + String.join("; and ", refused) + ". See docs/operations.md.");
        }
        if (stripeSimulated(env)) {
            log.warn("*** STRIPE SIMULATOR ON *** every signed-in account can buy credits without paying"
                    + (embedded ? " (embedded default)" : " (allowed by PICTURA_STRIPE_SIMULATOR_ALLOWED)"));
        }
        if (modelSimulated(env)) {
            log.warn("*** MODEL SIMULATOR ON *** /simulator/v1 serves simulated models"
                    + (embedded ? " (embedded default)" : " (allowed by PICTURA_SIMULATOR_ALLOWED)"));
        }
        if (outboxOnly(env)) {
            log.warn("*** NO MAIL SERVER *** verification links are shown in the built-in outbox, not mailed"
                    + (embedded ? " (embedded default)" : " (allowed by PICTURA_MAIL_OUTBOX_ALLOWED)"));
        }
    }

    /** What is on without being allowed; empty when the start may go on. */
    static List<String> refusals(Environment env, boolean embeddedDefault) {
        List<String> refused = new ArrayList<>();
        if (embeddedDefault) {
            return refused;
        }
        if (stripeSimulated(env) && !env.getProperty("pictura.billing.stripe.simulator-allowed", Boolean.class, false)) {
            refused.add("the Stripe simulator is on (no PICTURA_STRIPE_API_KEY): set PICTURA_STRIPE_API_KEY and "
                    + "PICTURA_STRIPE_WEBHOOK_SECRET, or PICTURA_STRIPE_SIMULATOR_ALLOWED=true to run it anyway");
        }
        if (modelSimulated(env) && !env.getProperty("pictura.simulator.allowed", Boolean.class, false)) {
            refused.add("the model simulator is on: point the catalog at real upstreams and set "
                    + "PICTURA_SIMULATOR_ENABLED=false, or PICTURA_SIMULATOR_ALLOWED=true to run it anyway");
        }
        if (outboxOnly(env) && !env.getProperty("pictura.mail.outbox-allowed", Boolean.class, false)) {
            refused.add("no mail server is configured (SPRING_MAIL_HOST), so verification links would only be "
                    + "shown in the built-in outbox: set SPRING_MAIL_HOST, or PICTURA_MAIL_OUTBOX_ALLOWED=true");
        }
        return refused;
    }

    private static boolean stripeSimulated(Environment env) {
        String key = env.getProperty("pictura.billing.stripe.api-key", "");
        return key.isBlank();
    }

    private static boolean outboxOnly(Environment env) {
        return env.getProperty("spring.mail.host", "").isBlank();
    }

    private static boolean modelSimulated(Environment env) {
        return env.getProperty("pictura.simulator.enabled", Boolean.class, true);
    }

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 2; // after EmbeddedPostgresEnvironment (ORDER + 1)
    }
}
