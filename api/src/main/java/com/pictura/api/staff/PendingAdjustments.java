package com.pictura.api.staff;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.pictura.domain.wallet.WalletEvent.AdjustmentApproved;
import com.pictura.domain.wallet.WalletEvent.AdjustmentRejected;
import com.pictura.domain.wallet.WalletEvent.AdjustmentRequested;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Service;

/**
 * The adjustment requests of one wallet that wait for a second staff member, folded from the wallet's own events
 * as the wallet decides them (requested, then neither approved nor rejected): no read model can lag behind the
 * aggregate that will accept or refuse the decision.
 */
@Service
public class PendingAdjustments {

    private static final Set<Class<?>> DECISIONS = Set.of(AdjustmentRequested.class, AdjustmentApproved.class,
            AdjustmentRejected.class);

    private final EventStore events;

    public PendingAdjustments(EventStore events) {
        this.events = events;
    }

    public record Pending(String id, String amount, String reason, String ticket, String requestedBy,
                          Instant requestedAt) {
    }

    /** Oldest request first: the one waiting longest. */
    public List<Pending> of(String walletId) {
        Map<String, Pending> waiting = new LinkedHashMap<>();
        DomainEventStream stream = events.readEvents(walletId, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            // The type is known without deserializing: a busy wallet's thousands of usage events stay unread.
            if (!DECISIONS.contains(message.getPayloadType())) {
                continue;
            }
            Object event = message.getPayload();
            if (event instanceof AdjustmentRequested requested) {
                waiting.put(requested.requestId(), new Pending(requested.requestId(), requested.amount().toString(),
                        requested.reason(), requested.ticket(), requested.requestedBy(), message.getTimestamp()));
            } else if (event instanceof AdjustmentApproved approved) {
                waiting.remove(approved.requestId());
            } else if (event instanceof AdjustmentRejected rejected) {
                waiting.remove(rejected.requestId());
            }
        }
        return List.copyOf(waiting.values());
    }
}
