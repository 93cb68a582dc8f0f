package com.pictura.api.ledgerchain;

import org.axonframework.eventsourcing.eventstore.AbstractEventStorageEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Puts the chain in front of whichever storage engine Axon's auto-configuration made. */
@Configuration(proxyBeanMethods = false)
public class ChainConfiguration {

    @Bean
    static BeanPostProcessor chainEveryStoredEvent(ObjectProvider<JdbcClient> jdbc) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof AbstractEventStorageEngine engine
                        ? new ChainingStorageEngine(engine, jdbc.getObject()) : bean;
            }
        };
    }
}
