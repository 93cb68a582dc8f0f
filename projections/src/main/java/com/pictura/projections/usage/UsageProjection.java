package com.pictura.projections.usage;

import java.time.Instant;
import java.time.ZoneOffset;

import com.pictura.domain.actor.ActorCorrelation;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletCommand.ReleaseReservation;
import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.ExpiredHoldCharged;
import com.pictura.domain.wallet.WalletEvent.ReservationReleased;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Usage per call: one row per hold (time, model, key, request id), completed by its settlement (cost, tokens or
 * images, latency, outcome, upstream). Idempotent (the hold's id is the key; a settlement writes the same values
 * again) and replayable.
 */
@Component
@ProcessingGroup(UsageProjection.GROUP)
public class UsageProjection {

    public static final String GROUP = "usage";

    private final JdbcClient jdbc;

    public UsageProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(CreditsReserved e, @Timestamp Instant at,
            @MetaDataValue(ActorCorrelation.REQUEST_ID) String requestId) {
        jdbc.sql("""
                        insert into usage_calls (reservation_id, wallet_id, request_id, key_id, model, started_at,
                                                 held, outcome)
                        values (?, ?, ?, ?, ?, ?, ?, 'open') on conflict do nothing""")
                .params(e.reservationId().value(), e.walletId().value(), requestId, e.apiKeyId(), e.model(),
                        at.atOffset(ZoneOffset.UTC), e.amount().micros())
                .update();
    }

    @EventHandler
    void on(UsageCharged e, @Timestamp Instant at, @MetaDataValue(ActorCorrelation.UPSTREAM) String upstream) {
        charged(e.reservationId().value(), e.amount().micros(), e.usage(), upstream, at);
    }

    @EventHandler
    void on(ExpiredHoldCharged e, @Timestamp Instant at, @MetaDataValue(ActorCorrelation.UPSTREAM) String upstream) {
        charged(e.reservationId().value(), e.amount().micros(), e.usage(), upstream, at);
    }

    @EventHandler
    void on(ReservationReleased e, @Timestamp Instant at) {
        // A hold released by its expiry may still be charged after (ExpiredHoldCharged): that charge wins.
        jdbc.sql("update usage_calls set outcome = ?, cost = 0, settled_at = ? where reservation_id = ? "
                        + "and outcome = 'open'")
                .params(ReleaseReservation.EXPIRED.equals(e.reason()) ? "expired" : "released",
                        at.atOffset(ZoneOffset.UTC), e.reservationId().value())
                .update();
    }

    private void charged(String reservation, long cost, Usage usage, String upstream, Instant at) {
        jdbc.sql("""
                        update usage_calls set outcome = 'charged', cost = ?, input_tokens = ?, output_tokens = ?,
                               images = ?, latency_ms = ?, upstream = ?, settled_at = ?
                         where reservation_id = ?""")
                .params(cost, usage.inputTokens(), usage.outputTokens(), usage.images(), usage.latencyMillis(),
                        upstream, at.atOffset(ZoneOffset.UTC), reservation)
                .update();
    }

    @ResetHandler
    void reset() {
        jdbc.sql("delete from usage_calls").update();
    }
}
