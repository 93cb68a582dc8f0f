package com.pictura.api.axon;

import java.util.List;
import java.util.function.BiFunction;

import com.pictura.api.web.RequestIds;
import com.pictura.domain.actor.ActorCorrelation;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.springframework.stereotype.Component;

/** Stamps commands and events sent while serving an HTTP request with that request's id. */
@Component
public class RequestIdStamp implements MessageDispatchInterceptor<Message<?>> {

    @Override
    public BiFunction<Integer, Message<?>, Message<?>> handle(List<? extends Message<?>> messages) {
        return (index, message) -> message.getMetaData().containsKey(ActorCorrelation.REQUEST_ID)
                ? message
                : RequestIds.current()
                        .<Message<?>>map(id -> message.andMetaData(java.util.Map.of(ActorCorrelation.REQUEST_ID, id)))
                        .orElse(message);
    }
}
