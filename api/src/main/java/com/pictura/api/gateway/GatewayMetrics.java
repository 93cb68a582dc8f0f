package com.pictura.api.gateway;

import java.util.List;

import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.ExpiredHoldCharged;
import com.pictura.domain.wallet.WalletEvent.ReservationReleased;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The gateway's business metrics, named as Prometheus expects ({@code /actuator/prometheus}):
 * {@code pictura_gateway_calls_total{model}} (holds taken), {@code pictura_gateway_charges_total},
 * {@code pictura_gateway_tokens_total{kind=input|output}}, {@code pictura_gateway_images_total},
 * {@code pictura_gateway_credits_charged_total}, {@code pictura_gateway_releases_total{reason}} (nothing charged:
 * {@code client_disconnected}, {@code upstream_error}, {@code upstream_timeout}, {@code expired}, …) and
 * {@code pictura_gateway_settlements_pending} (outcomes decided but not yet written to the ledger). Upstream
 * latency and errors are {@code pictura_gateway_upstream_seconds{provider,outcome}} ({@code ProviderClient}).
 *
 * <p>Counted from the wallet events as this node stores them (an in-memory subscription to the event bus: no
 * query, no processor), so they agree with the ledger and cost nothing on the request path. Per node; sum them.
 */
@Component
class GatewayMetrics {

    private static final Logger log = LoggerFactory.getLogger(GatewayMetrics.class);

    private final MeterRegistry meters;

    GatewayMetrics(EventStore events, Settlements settlements, MeterRegistry meters) {
        this.meters = meters;
        Gauge.builder("pictura.gateway.settlements.pending", settlements, Settlements::pending)
                .description("Settlements decided but not yet written to the ledger (queued, in flight, retrying)")
                .register(meters);
        events.subscribe(this::count);
    }

    private void count(List<? extends EventMessage<?>> events) {
        try {
            for (EventMessage<?> event : events) {
                Object payload = event.getPayload();
                if (payload instanceof CreditsReserved reserved) {
                    meters.counter("pictura.gateway.calls", "model", String.valueOf(reserved.model())).increment();
                } else if (payload instanceof UsageCharged charged) {
                    meters.counter("pictura.gateway.charges").increment();
                    meters.counter("pictura.gateway.tokens", "kind", "input").increment(charged.usage().inputTokens());
                    meters.counter("pictura.gateway.tokens", "kind", "output").increment(charged.usage().outputTokens());
                    meters.counter("pictura.gateway.images").increment(charged.usage().images());
                    meters.counter("pictura.gateway.credits.charged").increment(charged.amount().micros() / 1e6);
                } else if (payload instanceof ExpiredHoldCharged charged) {
                    meters.counter("pictura.gateway.charges").increment();
                    meters.counter("pictura.gateway.credits.charged").increment(charged.amount().micros() / 1e6);
                } else if (payload instanceof ReservationReleased released) {
                    meters.counter("pictura.gateway.releases", "reason", reason(released.reason())).increment();
                }
            }
        } catch (RuntimeException e) {
            // Metrics must never fail the command whose events they count.
            log.warn("Gateway metrics could not count events: {}", e.toString());
        }
    }

    /** Reasons are short codes; anything else is folded into one tag value, so the label set stays bounded. */
    private static String reason(String reason) {
        return reason != null && reason.matches("[a-z_]{1,40}") ? reason : "other";
    }
}
