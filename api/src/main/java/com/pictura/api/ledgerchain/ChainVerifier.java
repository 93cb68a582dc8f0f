package com.pictura.api.ledgerchain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Recomputes every aggregate's chain from the event store's stored bytes and compares it with the links kept
 * when the events were stored; and gives the current heads, for an auditor to keep outside the database.
 */
@Service
public class ChainVerifier {

    private final JdbcClient jdbc;
    private final StoreCursor cursor;

    ChainVerifier(JdbcClient jdbc, StoreCursor cursor) {
        this.jdbc = jdbc;
        this.cursor = cursor;
    }

    /** An event whose stored form no longer gives its link, or that has no link at all. */
    public record Broken(String aggregate, long sequence, String eventId, String problem) {
    }

    public record Verification(long aggregates, long events, List<Broken> broken) {
    }

    public record Head(String aggregate, long sequence, String link) {
    }

    public record Heads(List<Head> heads, String digest) {
    }

    public Verification verify() {
        List<Broken> broken = new ArrayList<>();
        Map<String, String> previous = new HashMap<>();
        long[] events = {0};
        cursor.query("""
                        select e.aggregate_identifier, e.sequence_number, e.event_identifier, e.payload_type,
                               e.payload_revision, e.payload, e.meta_data, c.link
                          from domain_event_entry e
                          left join event_chain c on c.aggregate_identifier = e.aggregate_identifier
                                                 and c.sequence_number = e.sequence_number
                         order by e.aggregate_identifier, e.sequence_number""", Map.of(), row -> {
                    events[0]++;
                    String aggregate = row.getString(1);
                    long sequence = row.getLong(2);
                    String kept = row.getString(8);
                    String computed = ChainLink.next(previous.getOrDefault(aggregate, ChainLink.GENESIS), aggregate,
                            sequence, row.getString(3), row.getString(4), row.getString(5), row.getBytes(6),
                            row.getBytes(7));
                    if (kept == null) {
                        broken.add(new Broken(aggregate, sequence, row.getString(3), "no link"));
                    } else if (!kept.equals(computed)) {
                        broken.add(new Broken(aggregate, sequence, row.getString(3),
                                "stored event does not match its link"));
                    }
                    // The chain goes on from the kept link, so one edited event is named once, not with all after it.
                    previous.put(aggregate, kept != null ? kept : computed);
                });
        long linkedWithoutEvent = jdbc.sql("""
                        select count(*) from event_chain c where not exists (select 1 from domain_event_entry e
                         where e.aggregate_identifier = c.aggregate_identifier and e.sequence_number = c.sequence_number)""")
                .query(Long.class).single();
        if (linkedWithoutEvent > 0) {
            broken.add(new Broken(null, -1, null, linkedWithoutEvent + " links whose event is gone"));
        }
        return new Verification(previous.size(), events[0], broken);
    }

    public Heads heads() {
        List<Head> heads = jdbc.sql("""
                        select distinct on (aggregate_identifier) aggregate_identifier, sequence_number, link
                          from event_chain order by aggregate_identifier, sequence_number desc""")
                .query((row, n) -> new Head(row.getString(1), row.getLong(2), row.getString(3))).list();
        return new Heads(heads, ChainLink.digest(heads.stream()
                .map(h -> h.aggregate() + ":" + h.sequence() + ":" + h.link()).toList()));
    }
}
