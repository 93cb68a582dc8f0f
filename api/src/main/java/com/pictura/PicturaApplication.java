package com.pictura;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Pictura: one OpenAI-compatible API in front of many models, paid for from an event-sourced credit ledger. */
@SpringBootApplication
public class PicturaApplication {

    static {
        // Axon reports anonymous usage to AxonIQ by default; a ledger of people's money does not phone home.
        if (System.getProperty("axoniq.update-checker.disabled") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
    }

    public static void main(String[] args) {
        SpringApplication.run(PicturaApplication.class, args);
    }
}
