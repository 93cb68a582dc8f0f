package com.pictura.api.ledgerchain;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.AbstractEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The event store's storage engine, with one chain link written per stored domain event, in the same transaction
 * and right after the event itself: an event that cannot be linked is not stored, and a rolled-back event leaves
 * no link. The link is computed from the payload and metadata serialized exactly as the engine stores them.
 */
final class ChainingStorageEngine implements EventStorageEngine {

    private final AbstractEventStorageEngine delegate;
    private final JdbcClient jdbc;

    ChainingStorageEngine(AbstractEventStorageEngine delegate, JdbcClient jdbc) {
        this.delegate = delegate;
        this.jdbc = jdbc;
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        delegate.appendEvents(events);
        Map<String, String> heads = new HashMap<>();
        for (EventMessage<?> event : events) {
            if (!(event instanceof DomainEventMessage<?> domain) || domain.getAggregateIdentifier() == null) {
                continue;
            }
            String aggregate = domain.getAggregateIdentifier();
            String previous = heads.computeIfAbsent(aggregate, this::head);
            SerializedObject<byte[]> payload = domain.serializePayload(delegate.getEventSerializer(), byte[].class);
            SerializedObject<byte[]> metadata = domain.serializeMetaData(delegate.getEventSerializer(), byte[].class);
            String link = ChainLink.next(previous, aggregate, domain.getSequenceNumber(), domain.getIdentifier(),
                    payload.getType().getName(), payload.getType().getRevision(), payload.getData(), metadata.getData());
            jdbc.sql("""
                    insert into event_chain (aggregate_identifier, sequence_number, event_identifier, link)
                    values (?, ?, ?, ?)""")
                    .params(aggregate, domain.getSequenceNumber(), domain.getIdentifier(), link).update();
            heads.put(aggregate, link);
        }
    }

    /** The aggregate's last link, or the genesis of a chain not yet begun. */
    private String head(String aggregate) {
        return jdbc.sql("select link from event_chain where aggregate_identifier = ? order by sequence_number desc limit 1")
                .param(aggregate).query(String.class).optional().orElse(ChainLink.GENESIS);
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        delegate.storeSnapshot(snapshot);
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        return delegate.readEvents(trackingToken, mayBlock);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return delegate.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return delegate.readSnapshot(aggregateIdentifier);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return delegate.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public TrackingToken createTailToken() {
        return delegate.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return delegate.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return delegate.createTokenAt(dateTime);
    }
}
