package com.pictura.api.account;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The Terms of Service, public: the sign-up page shows them before anyone has an account. */
@RestController
public class TermsController {

    private final TermsOfService terms;

    public TermsController(TermsOfService terms) {
        this.terms = terms;
    }

    public record Terms(String version, String text) {
    }

    @GetMapping("/api/terms")
    Terms terms() {
        return new Terms(terms.version(), terms.text());
    }
}
