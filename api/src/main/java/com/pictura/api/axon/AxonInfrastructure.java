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

    /** Deadlines fire only once the whole application, event processors included, is up. */
    @EventListener(ApplicationReadyEvent.class)
    void startScheduler(ApplicationReadyEvent event) {
        event.getApplicationContext().getBean(Scheduler.class).start();
    }
}
