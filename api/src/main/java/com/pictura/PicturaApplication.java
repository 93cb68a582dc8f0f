package com.pictura;

import com.pictura.api.ledgerchain.OfflineVerifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/** Pictura: one OpenAI-compatible API in front of many models, paid for from an event-sourced credit ledger. */
// No user store of Spring's: people are accounts, signed in through Pictura's own sessions.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class PicturaApplication {

    static {
        // Axon reports anonymous usage to AxonIQ by default; a ledger of people's money does not phone home.
        if (System.getProperty("axoniq.update-checker.disabled") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
    }

    /** Runs the platform; {@code verify <export.jsonl>} checks an exported ledger offline instead (no server). */
    public static void main(String[] args) {
        if (args.length == 2 && "verify".equals(args[0])) {
            System.exit(OfflineVerifier.run(java.nio.file.Path.of(args[1]), System.out));
        }
        SpringApplication.run(PicturaApplication.class, args);
    }
}
