package com.pictura.api.gateway;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The vendor profile's catalog (gateway-vendors.yml) against fakes of Together AI and DeepInfra on loopback.
 * Closed after each class: a second live context would run a second copy of every event processor on the shared
 * database under the same node name, racing the replays of other tests (LedgerProjectionTest).
 */
@ActiveProfiles("vendors")
@DirtiesContext
abstract class VendorTestBase extends GatewayTestBase {

    static final FakeVendor TOGETHER = new FakeVendor(FakeVendor.Shape.TOGETHER, "/v1", "tg-test-key");
    static final FakeVendor DEEPINFRA = new FakeVendor(FakeVendor.Shape.DEEPINFRA, "/v1/openai", "di-test-key");

    @DynamicPropertySource
    static void vendors(DynamicPropertyRegistry registry) {
        registry.add("pictura.catalog.providers.together.base-url", () -> TOGETHER.baseUrl("/v1"));
        registry.add("pictura.catalog.providers.deepinfra.base-url", () -> DEEPINFRA.baseUrl("/v1/openai"));
        registry.add("TOGETHER_API_KEY", () -> TOGETHER.key);
        registry.add("DEEPINFRA_API_KEY", () -> DEEPINFRA.key);
        registry.add("pictura.gateway.upstream-cooldown", () -> "PT2S");
    }
}
