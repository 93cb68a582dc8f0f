package com.pictura.domain.actor;

import java.util.HashMap;
import java.util.Map;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

/**
 * Puts who and why into event metadata: {@code actor} and {@code reason} from the command being handled. Axon's
 * own {@code MessageOriginProvider} adds {@code correlationId} and {@code traceId} beside them.
 */
public class ActorCorrelation implements CorrelationDataProvider {

    public static final String ACTOR = "actor";
    public static final String REASON = "reason";

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        Map<String, Object> data = new HashMap<>();
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
