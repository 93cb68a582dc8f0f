package com.pictura.api.staff;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.pictura.domain.wallet.Movement;
import com.pictura.domain.wallet.WalletEvent;
import com.pictura.projections.wallet.BalanceRepository;
import com.pictura.projections.wallet.BalanceRow;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The ledger history as an auditor reads it: events straight from the event store through Axon's serializer
 * (upcasters applied; snapshots never used), and balances folded from those events alone.
 */
@Service
public class LedgerHistory {

    private final EventStore events;
    private final JdbcClient jdbc;
    private final BalanceRepository balances;

    public LedgerHistory(EventStore events, JdbcClient jdbc, BalanceRepository balances) {
        this.events = events;
        this.jdbc = jdbc;
        this.balances = balances;
    }

    /** One event: where it sits globally and in its aggregate, when, what, and who and why (metadata). */
    public record Entry(long globalIndex, String aggregate, long sequence, Instant at, String type, Object payload,
                        Map<String, Object> metadata) {
    }

    public record Balance(String available, String promotional, String paid, String reserved, Instant asOf,
                          long events) {
        static Balance of(Movement total, Instant asOf, long events) {
            return new Balance(total.available().toString(), total.promotional().toString(), total.paid().toString(),
                    total.reserved().toString(), asOf, events);
        }
    }

    public record Difference(String walletId, Balance fromEvents, Balance readModel) {
    }

    public record Verification(long wallets, long events, List<Difference> differences) {
    }

    /** Every event of these aggregates, in the order they were stored. */
    public List<Entry> history(List<String> aggregates, String type, Instant from, Instant to) {
        Map<String, Long> globalIndex = new HashMap<>();
        jdbc.sql("select event_identifier, global_index from domain_event_entry where aggregate_identifier in (:ids)")
                .param("ids", aggregates)
                .query((row, n) -> globalIndex.put(row.getString(1), row.getLong(2))).list();
        List<Entry> entries = new ArrayList<>();
        for (String aggregate : aggregates) {
            events.readEvents(aggregate, 0).asStream()
                    .filter(e -> type == null || e.getPayloadType().getSimpleName().equals(type))
                    .filter(e -> from == null || !e.getTimestamp().isBefore(from))
                    .filter(e -> to == null || e.getTimestamp().isBefore(to))
                    .forEach(e -> entries.add(new Entry(globalIndex.getOrDefault(e.getIdentifier(), -1L), aggregate,
                            e.getSequenceNumber(), e.getTimestamp(), e.getPayloadType().getSimpleName(),
                            e.getPayload(), e.getMetaData())));
        }
        entries.sort(Comparator.comparingLong(Entry::globalIndex));
        return entries;
    }

    /** The wallet's balance as it was at {@code at}: every event up to and including that instant, folded. */
    public Balance balanceAt(String walletId, Instant at) {
        Movement total = Movement.NONE;
        long counted = 0;
        DomainEventStream stream = events.readEvents(walletId, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> e = stream.next();
            if (e.getTimestamp().isAfter(at)) {
                break;
            }
            if (e.getPayload() instanceof WalletEvent event) {
                total = add(total, event.movement());
                counted++;
            }
        }
        return Balance.of(total, at, counted);
    }

    /** Every wallet recomputed from its events and compared with the balance read model. */
    public Verification verify() {
        List<String> wallets = jdbc.sql("select distinct aggregate_identifier from domain_event_entry where type = 'CreditWallet'")
                .query(String.class).list();
        List<Difference> differences = new ArrayList<>();
        long counted = 0;
        Instant now = Instant.now();
        for (String wallet : wallets) {
            Balance fromEvents = balanceAt(wallet, Instant.MAX);
            counted += fromEvents.events();
            BalanceRow row = balances.findById(wallet).orElse(null);
            Movement shown = row == null ? Movement.NONE : new Movement(row.promotional(), row.paid(), row.reserved());
            Balance readModel = Balance.of(shown, now, 0);
            if (!sameAmounts(fromEvents, readModel)) {
                differences.add(new Difference(wallet, fromEvents, readModel));
            }
        }
        return new Verification(wallets.size(), counted, differences);
    }

    /** The audit trail of staff actions (a read model fed by the events' metadata), newest first. */
    public List<Map<String, Object>> staffActions(String staff, int limit) {
        return jdbc.sql("select at, staff, action, aggregate, reason from staff_actions"
                        + (staff == null ? "" : " where staff = :staff") + " order by at desc limit :limit")
                .params(staff == null ? Map.of("limit", limit) : Map.of("staff", staff, "limit", limit))
                .query().listOfRows();
    }

    private static boolean sameAmounts(Balance a, Balance b) {
        return a.promotional().equals(b.promotional()) && a.paid().equals(b.paid()) && a.reserved().equals(b.reserved());
    }

    private static Movement add(Movement a, Movement b) {
        return new Movement(a.promotional().plus(b.promotional()), a.paid().plus(b.paid()),
                a.reserved().plus(b.reserved()));
    }
}
