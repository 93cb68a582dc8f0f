package com.pictura.billing.reconciliation;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.pictura.billing.BillingProperties;
import com.pictura.billing.reconciliation.Reconciliation.Difference;
import com.pictura.billing.reconciliation.Reconciliation.Report;
import io.micrometer.core.instrument.MeterRegistry;
import com.pictura.billing.jobs.OncePerCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reconciles the last {@code window} (ending {@code lag} ago) on a schedule, logs every difference, and
 * exposes {@code pictura.billing.reconciliation.differences} (differences found by the last run, -1 until a run
 * succeeded) and {@code pictura.billing.reconciliation.runs} (by result) for alerting.
 */
@Component
public class ScheduledReconciliation {

    private static final Logger log = LoggerFactory.getLogger(ScheduledReconciliation.class);

    private final Reconciliation reconciliation;
    private final BillingProperties.Reconciliation settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final OncePerCluster cluster;
    private final AtomicLong differences = new AtomicLong(-1);
    private final AtomicLong lastSuccess = new AtomicLong(0);

    public ScheduledReconciliation(Reconciliation reconciliation, BillingProperties properties, Clock clock,
                                   MeterRegistry meters, OncePerCluster cluster) {
        this.reconciliation = reconciliation;
        this.cluster = cluster;
        this.settings = properties.reconciliation();
        this.clock = clock;
        this.meters = meters;
        meters.gauge("pictura.billing.reconciliation.differences", differences);
        meters.gauge("pictura.billing.reconciliation.last.success.seconds", lastSuccess);
    }

    @Scheduled(cron = "${pictura.billing.reconciliation.cron:0 17 * * * *}")
    void scheduled() {
        // Every node fires; one reconciles (its metrics are the cluster's; the others keep their last values).
        if (settings.enabled() && cluster.claim("billing-reconciliation")) {
            Instant to = clock.instant().minus(settings.lag());
            reconcile(to.minus(settings.window()), to);
        }
    }

    /** One run over [from, to) for every account, as the schedule does it; null if Stripe could not be read. */
    public Report reconcile(Instant from, Instant to) {
        try {
            Report report = reconciliation.run(from, to, Optional.empty());
            for (Difference d : report.differences()) {
                log.warn("Reconciliation {} .. {}: {} {} (wallet {}): expected {}, ledger has {} ({})", from, to,
                        d.kind(), d.stripeId(), d.walletId(), d.expected(), d.actual(), d.detail());
            }
            log.info("Reconciliation {} .. {}: {} paid sessions, {} refunds, {} difference(s)", from, to,
                    report.paidSessions(), report.refunds(), report.differences().size());
            differences.set(report.differences().size());
            lastSuccess.set(report.ranAt().getEpochSecond());
            meters.counter("pictura.billing.reconciliation.runs", "result",
                    report.agrees() ? "agrees" : "differences").increment();
            return report;
        } catch (RuntimeException e) {
            log.error("Reconciliation {} .. {} failed", from, to, e);
            meters.counter("pictura.billing.reconciliation.runs", "result", "failed").increment();
            return null;
        }
    }
}
