package com.pictura.domain.actor;

import java.util.HashMap;
import java.util.Map;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

/**
 * Puts who and why into event metadata: {@code actor} and {@code reason} from the command being handled, and the
 * {@code requestId} that links every event one request caused (also those its saga causes later), and the
 * {@code upstream} that served a charged call. Axon's own
 * {@code MessageOriginProvider} adds {@code correlationId} (the causing message) and {@code traceId} beside them.
 */
public class ActorCorrelation implements CorrelationDataProvider {

    public static final String ACTOR = "actor";
    public static final String REASON = "reason";
    public static final String REQUEST_ID = "requestId";
    /** The provider that served a call, on its charge: a catalog name, never a prompt or an output. */
    public static final String UPSTREAM = "upstream";

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        Map<String, Object> data = new HashMap<>();
        copy(message, REQUEST_ID, data);
        copy(message, UPSTREAM, data);
        if (message.getPayload() instanceof Attributed attributed) {
            data.put(ACTOR, attributed.actor().toString());
            if (attributed.reason() != null) {
                data.put(REASON, attributed.reason());
            }
        } else {
            // Events handled by sagas and automations pass their origin on to the commands they send.
            copy(message, ACTOR, data);
            copy(message, REASON, data);
        }
        return data;
    }

    private static void copy(Message<?> message, String key, Map<String, Object> into) {
        Object value = message.getMetaData().get(key);
        if (value != null) {
            into.put(key, value);
        }
    }
}
