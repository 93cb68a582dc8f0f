package com.pictura.api.axon;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;
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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

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

    /**
     * The durable scheduler behind Axon's deadline manager. Declared here because db-scheduler's Spring Boot
     * starter does not find the DataSource on Boot 4; Axon's {@code AxonDbSchedulerAutoConfiguration} picks this
     * bean up and contributes its deadline and event tasks as {@link Task} beans.
     */
    @Bean(destroyMethod = "stop")
    Scheduler dbScheduler(DataSource dataSource, List<Task<?>> tasks,
                          @Value("${pictura.scheduler.threads:4}") int threads,
                          @Value("${pictura.scheduler.polling-interval:PT1S}") Duration pollingInterval) {
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), tasks)
                .tableName("scheduled_tasks")
                .threads(threads)
                .pollingInterval(pollingInterval)
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
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

    /** Deadlines fire only once the whole application, event processors included, is up. */
    @EventListener(ApplicationReadyEvent.class)
    void startScheduler(ApplicationReadyEvent event) {
        event.getApplicationContext().getBean(Scheduler.class).start();
    }
}
