package com.pictura.projections.audit;

import java.time.Instant;
import java.time.ZoneOffset;

import com.pictura.domain.actor.ActorCorrelation;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit trail of staff actions: every event a staff member caused (its metadata's actor is {@code staff:…}),
 * with who, what, on which aggregate and why. Replayable; the event id is the key, so a redelivery is a no-op.
 */
@Component
@ProcessingGroup(StaffActionsProjection.GROUP)
public class StaffActionsProjection {

    public static final String GROUP = "staff-actions";

    private final JdbcClient jdbc;

    public StaffActionsProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(Object event, EventMessage<?> message, @Timestamp Instant at) {
        Object actor = message.getMetaData().get(ActorCorrelation.ACTOR);
        if (actor == null || !actor.toString().startsWith("staff:")) {
            return;
        }
        Object reason = message.getMetaData().get(ActorCorrelation.REASON);
        String aggregate = message instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
        jdbc.sql("""
                        insert into staff_actions (event_id, at, staff, action, aggregate, reason)
                        values (?, ?, ?, ?, ?, ?) on conflict do nothing""")
                .params(message.getIdentifier(), at.atOffset(ZoneOffset.UTC), actor.toString(),
                        event.getClass().getSimpleName(), aggregate, reason == null ? null : reason.toString())
                .update();
    }

    @ResetHandler
    void reset() {
        jdbc.sql("delete from staff_actions").update();
    }
}
