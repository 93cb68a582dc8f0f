package com.pictura;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Pictura: one OpenAI-compatible API in front of many models, paid for from an event-sourced credit ledger. */
@SpringBootApplication
public class PicturaApplication {

    public static void main(String[] args) {
        SpringApplication.run(PicturaApplication.class, args);
    }
}
