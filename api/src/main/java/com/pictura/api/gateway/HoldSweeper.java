package com.pictura.api.gateway;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.WalletCommand.ReleaseReservation;
import com.pictura.domain.wallet.WalletId;
import com.pictura.domain.wallet.WalletRefusals.ReservationAlreadySettled;
import com.pictura.domain.wallet.WalletRefusals.UnknownReservation;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The compensating half of the inference saga for calls whose node never settled them (it died, or gave up
 * retrying): every few seconds, on every node, the expired holds of the {@code open_holds} read model are
 * released. A hold is claimed by one node at a time ({@code skip locked}, then {@code swept_at}), and a release
 * is idempotent in the wallet, so two sweepers never release twice. A charge decided before the hold expired
 * still wins over this release when it lands late (the wallet's rule).
 */
@Component
public class HoldSweeper {

    private static final Logger log = LoggerFactory.getLogger(HoldSweeper.class);
    private static final Duration RESWEEP_AFTER = Duration.ofMinutes(1);
    private static final int BATCH = 500;

    private final JdbcClient jdbc;
    private final Settlements settlements;
    private final GatewayProperties properties;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "hold-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    public HoldSweeper(JdbcClient jdbc, Settlements settlements, GatewayProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.settlements = settlements;
        this.properties = properties;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        long every = properties.sweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    /** Releases the holds expired by now; returns how many it sent. */
    public int sweep() {
        try {
            Instant now = clock.instant();
            record Expired(String reservationId, String walletId) {
            }
            List<Expired> expired = jdbc.sql("""
                            update open_holds set swept_at = :now
                             where reservation_id in (
                                   select reservation_id from open_holds
                                    where expires_at < :now and (swept_at is null or swept_at < :resweep)
                                    order by expires_at limit :batch for update skip locked)
                            returning reservation_id, wallet_id""")
                    .param("now", Timestamp.from(now))
                    .param("resweep", Timestamp.from(now.minus(RESWEEP_AFTER)))
                    .param("batch", BATCH)
                    .query((rs, n) -> new Expired(rs.getString(1), rs.getString(2)))
                    .list();
            for (Expired hold : expired) {
                settlements.settle(new ReleaseReservation(new WalletId(hold.walletId()),
                                new ReservationId(hold.reservationId()), ReleaseReservation.EXPIRED, Actor.SYSTEM))
                        .whenComplete((ok, refusal) -> {
                            if (refusal instanceof ReservationAlreadySettled || refusal instanceof UnknownReservation) {
                                forget(hold.reservationId()); // settled already: the row was stale
                            }
                        });
            }
            if (!expired.isEmpty()) {
                log.info("Released {} expired hold(s) nobody settled", expired.size());
            }
            return expired.size();
        } catch (RuntimeException e) {
            log.warn("Hold sweep failed; retrying in {}: {}", properties.sweepInterval(), e.toString());
            return 0;
        }
    }

    private void forget(String reservationId) {
        jdbc.sql("delete from open_holds where reservation_id = ?").param(reservationId).update();
    }
}
