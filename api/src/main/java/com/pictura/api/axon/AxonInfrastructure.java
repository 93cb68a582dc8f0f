package com.pictura.api.axon;



import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.pictura.domain.actor.ActorCorrelation;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What Axon needs beyond its auto-configuration on PostgreSQL without Axon Server.
 */
@Configuration(proxyBeanMethods = false)
public class AxonInfrastructure {

    /**
     * Axon's own Jackson 2 mapper (Spring MVC uses Jackson 3): events, commands, tokens and sagas are stored with
     * it, so its settings are part of the stored format and must not change with the web layer's.
     */
    @Bean("defaultAxonObjectMapper")
    ObjectMapper defaultAxonObjectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Old events must stay readable after a field is added to a record.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Who and why ({@code actor}, {@code reason}) from each command into its events' metadata. */
    @Bean
    CorrelationDataProvider actorCorrelation() {
        return new ActorCorrelation();
    }

    /** Axon's own correlation and trace ids; declared because any provider bean replaces its default. */
    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    /**
     * Commands that lose an optimistic-lock race (two nodes appending to one wallet, or a stale cache entry) are
     * retried; business refusals are answers, never retried.
     */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus) {
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(IntervalRetryScheduler.builder()
                        .retryExecutor(retries)
                        .retryInterval(20)
                        .maxRetryCount(5)
                        .nonTransientFailurePredicate(failure -> !(failure instanceof ConcurrencyException))
                        .build())
                .build();
    }

}
