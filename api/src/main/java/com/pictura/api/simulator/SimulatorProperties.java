package com.pictura.api.simulator;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The built-in simulated provider's behaviour. Latencies make benchmarks realistic; fault rates make a fraction
 * of calls fail at random. Tests ask for a specific fault per request instead, with a directive in the prompt
 * (see {@link SimulatorController}), so they never change shared settings.
 *
 * @param apiKey           the key the simulator expects (empty: a random one per JVM, which the catalog's
 *                         {@code self} provider uses)
 * @param firstTokenLatency before the first token of a chat answer
 * @param latencyPerToken  between tokens
 * @param latencyPerImage  per image generated
 * @param errorRate        fraction of calls answered with a 500
 * @param hangRate         fraction of calls never answered
 * @param dropRate         fraction of streams cut off half way
 * @param missingUsageRate fraction of answers without usage
 */
@ConfigurationProperties("pictura.simulator")
public record SimulatorProperties(boolean enabled, String apiKey, Duration firstTokenLatency,
                                  Duration latencyPerToken, Duration latencyPerImage, double errorRate,
                                  double hangRate, double dropRate, double missingUsageRate) {

    public SimulatorProperties {
        firstTokenLatency = firstTokenLatency == null ? Duration.ZERO : firstTokenLatency;
        latencyPerToken = latencyPerToken == null ? Duration.ZERO : latencyPerToken;
        latencyPerImage = latencyPerImage == null ? Duration.ZERO : latencyPerImage;
    }
}
