package com.pictura.api.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.Movement;
import com.pictura.domain.wallet.WalletCommand.ReleaseReservation;
import com.pictura.domain.wallet.WalletEvent;
import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.ExpiredHoldCharged;
import com.pictura.domain.wallet.WalletEvent.ReservationReleased;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What "no credit lost, none settled twice" means, checked from the event store itself rather than from any read
 * model: every {@link CreditsReserved} has exactly one settlement (a charge or a release; a release for expiry may
 * be followed by the one charge decided in time), and every wallet's lots recomputed from its events equal the
 * balances read model.
 */
final class LedgerAudit {

    /** Axon's stored format: the same settings as the application's own mapper for events. */
    private static final ObjectMapper AXON_JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final JdbcClient jdbc;

    LedgerAudit(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One hold and what settled it. */
    record Hold(String reservationId, String walletId, Credits amount, Instant reservedAt, Instant expiresAt,
                int charges, int releases, int expiredReleases, int lateCharges, Instant settledAt,
                Credits charged) {

        boolean settled() {
            return charges + releases == 1;
        }

        boolean settledTwice() {
            return charges + releases > 1 || lateCharges > 1 || (lateCharges == 1 && expiredReleases == 0);
        }

        /** How long after its expiry the hold was settled (negative: before it). */
        Duration lateness() {
            return Duration.between(expiresAt, settledAt == null ? Instant.now() : settledAt);
        }
    }

    /** The audit of a set of wallets. */
    record Report(List<Hold> holds, Map<String, Movement> recomputed, Map<String, Movement> readModel) {

        long settled() {
            return holds.stream().filter(Hold::settled).count();
        }

        List<Hold> open() {
            return holds.stream().filter(h -> h.charges() + h.releases() == 0).toList();
        }

        List<Hold> settledTwice() {
            return holds.stream().filter(Hold::settledTwice).toList();
        }

        long charged() {
            return holds.stream().filter(h -> h.charges() > 0 || h.lateCharges() > 0).count();
        }

        long released() {
            return holds.stream().filter(h -> h.charges() == 0 && h.lateCharges() == 0 && h.releases() > 0).count();
        }

        Credits totalCharged() {
            return holds.stream().map(Hold::charged).reduce(Credits.ZERO, Credits::plus);
        }

        /** Wallets whose read-model balance differs from the one recomputed from events. */
        List<String> mismatches() {
            List<String> wrong = new ArrayList<>();
            recomputed.forEach((wallet, fromEvents) -> {
                Movement shown = readModel.get(wallet);
                if (!fromEvents.equals(shown)) {
                    wrong.add(wallet + ": events " + fromEvents + ", read model " + shown);
                }
            });
            return wrong;
        }

        Instant lastSettlement() {
            return holds.stream().map(Hold::settledAt).filter(java.util.Objects::nonNull).max(Instant::compareTo)
                    .orElse(Instant.EPOCH);
        }

        Duration latestSettlementAfterExpiry() {
            return holds.stream().map(Hold::lateness).max(Duration::compareTo).orElse(Duration.ZERO);
        }

        /** The one line a run prints, and docs/reliability.md quotes. */
        String summary(String run, long seed, long requests) {
            return "%s seed=%d requests=%d holds=%d settled=%d charged=%d released=%d lost=%d double=%d balances=%s"
                    .formatted(run, seed, requests, holds.size(), settled(), charged(), released(), open().size(),
                            settledTwice().size(), mismatches().isEmpty() ? "exact" : mismatches().size() + " wrong");
        }
    }

    Report audit(Collection<String> walletIds) {
        Map<String, HoldBuilder> holds = new LinkedHashMap<>();
        Map<String, Movement> recomputed = new HashMap<>();
        for (String wallet : walletIds) {
            recomputed.put(wallet, new Movement(Credits.ZERO, Credits.ZERO, Credits.ZERO));
        }
        jdbc.sql("""
                        select aggregate_identifier, time_stamp, payload_type, convert_from(payload, 'UTF8')
                          from domain_event_entry where aggregate_identifier in (:ids)
                         order by aggregate_identifier, sequence_number""")
                .param("ids", walletIds)
                .query((row, n) -> {
                    String wallet = row.getString(1);
                    Instant at = Instant.parse(row.getString(2));
                    WalletEvent event = read(row.getString(3), row.getString(4));
                    recomputed.merge(wallet, event.movement(), LedgerAudit::add);
                    record(holds, wallet, at, event);
                    return null;
                })
                .list();
        Map<String, Movement> shown = new HashMap<>();
        jdbc.sql("select wallet_id, promotional, paid, reserved from wallet_balances where wallet_id in (:ids)")
                .param("ids", walletIds)
                .query((row, n) -> shown.put(row.getString(1), new Movement(Credits.ofMicros(row.getLong(2)),
                        Credits.ofMicros(row.getLong(3)), Credits.ofMicros(row.getLong(4)))))
                .list();
        return new Report(holds.values().stream().map(HoldBuilder::build).toList(), recomputed, shown);
    }

    private static void record(Map<String, HoldBuilder> holds, String wallet, Instant at, WalletEvent event) {
        if (event instanceof CreditsReserved e) {
            holds.put(e.reservationId().value(),
                    new HoldBuilder(e.reservationId().value(), wallet, e.amount(), at, e.expiresAt()));
        } else if (event instanceof UsageCharged e) {
            hold(holds, e.reservationId().value()).charge(at, e.amount());
        } else if (event instanceof ReservationReleased e) {
            hold(holds, e.reservationId().value()).release(at, ReleaseReservation.EXPIRED.equals(e.reason()));
        } else if (event instanceof ExpiredHoldCharged e) {
            hold(holds, e.reservationId().value()).lateCharge(e.amount());
        }
    }

    private static HoldBuilder hold(Map<String, HoldBuilder> holds, String reservationId) {
        HoldBuilder hold = holds.get(reservationId);
        if (hold == null) {
            throw new AssertionError("a settlement of a hold that was never reserved: " + reservationId);
        }
        return hold;
    }

    private static WalletEvent read(String type, String json) {
        try {
            return (WalletEvent) AXON_JSON.readValue(json, Class.forName(type));
        } catch (Exception e) {
            throw new AssertionError("unreadable event " + type + ": " + e, e);
        }
    }

    private static Movement add(Movement a, Movement b) {
        return new Movement(a.promotional().plus(b.promotional()), a.paid().plus(b.paid()),
                a.reserved().plus(b.reserved()));
    }

    private static final class HoldBuilder {
        private final String reservationId;
        private final String walletId;
        private final Credits amount;
        private final Instant reservedAt;
        private final Instant expiresAt;
        private int charges;
        private int releases;
        private int expiredReleases;
        private int lateCharges;
        private Instant settledAt;
        private Credits charged = Credits.ZERO;

        HoldBuilder(String reservationId, String walletId, Credits amount, Instant reservedAt, Instant expiresAt) {
            this.reservationId = reservationId;
            this.walletId = walletId;
            this.amount = amount;
            this.reservedAt = reservedAt;
            this.expiresAt = expiresAt;
        }

        void charge(Instant at, Credits amount) {
            charges++;
            charged = charged.plus(amount);
            settledAt = settledAt == null ? at : settledAt;
        }

        void release(Instant at, boolean expired) {
            releases++;
            expiredReleases += expired ? 1 : 0;
            settledAt = settledAt == null ? at : settledAt;
        }

        void lateCharge(Credits amount) {
            lateCharges++;
            charged = charged.plus(amount);
        }

        Hold build() {
            return new Hold(reservationId, walletId, amount, reservedAt, expiresAt, charges, releases,
                    expiredReleases, lateCharges, settledAt, charged);
        }
    }
}
