package com.pictura.api.catalog;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * An upstream, checked. The base URL is a supplier because the simulator's ({@code self}) is only known once the
 * web server has a port.
 */
public record ProviderEntry(String name, Supplier<String> baseUrl, String apiKey, Duration connectTimeout,
                            Duration firstByteTimeout, Duration totalTimeout) {

    @Override
    public String toString() {
        return "ProviderEntry[" + name + "]"; // never the key
    }
}
