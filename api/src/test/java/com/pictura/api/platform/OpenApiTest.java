package com.pictura.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;

/** The OpenAPI document is generated from the controllers, so it lists what the code really serves. */
class OpenApiTest extends IntegrationTest {

    @Test
    void theOpenApiDocumentDescribesTheAccountEndpoints() {
        var openApi = http.get("/openapi.json", null);

        assertThat(openApi.status()).isEqualTo(200);
        var paths = openApi.json().get("paths");
        assertThat(paths.has("/api/accounts")).isTrue();
        assertThat(paths.has("/api/session")).isTrue();
        assertThat(paths.has("/api/keys")).isTrue();
        assertThat(paths.has("/api/ledger")).isTrue();
        assertThat(paths.has("/stripe-sim/v1/checkout/sessions")).isFalse();
    }
}
