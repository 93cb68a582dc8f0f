package com.pictura.projections;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Base of the read-model tests: the projections as Spring beans over a real PostgreSQL (zonky, one per test JVM),
 * with the schema the application migrates to (the api module's Flyway scripts, read from its sources so there
 * is one schema, not a copy), and Axon's own annotation adapter delivering each event, with the sequence number,
 * timestamp and identifier a processor would pass. Each delivery runs in its own transaction, as a processor's
 * batch does. No Axon processor runs here: the order and repetition of deliveries is the test's to choose.
 */
@SpringBootTest(classes = ProjectionTest.Projections.class, properties = {
        "spring.flyway.locations=filesystem:../api/src/main/resources/db/migration",
        "spring.jpa.hibernate.ddl-auto=validate",
        "spring.main.banner-mode=off"})
public abstract class ProjectionTest {

    private static final EmbeddedPostgres POSTGRES = start();

    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected TransactionTemplate transaction;

    @SpringBootConfiguration
    @AutoConfigurationPackage
    @ComponentScan
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
            JdbcClientAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
            DataJpaRepositoriesAutoConfiguration.class, FlywayAutoConfiguration.class,
            TransactionAutoConfiguration.class})
    static class Projections {
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> POSTGRES.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
    }

    private static EmbeddedPostgres start() {
        try {
            return EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
    }

    /** An event as the event store hands it to a processor. */
    protected static DomainEventMessage<Object> event(String aggregateId, long sequence, Object payload, Instant at) {
        return new GenericDomainEventMessage<>(payload.getClass().getEnclosingClass().getSimpleName(), aggregateId,
                sequence, payload, Map.of(), UUID.randomUUID().toString(), at);
    }

    /** Delivers {@code event} to {@code projection}'s handlers in one transaction, as a processor does. */
    protected void deliver(Object projection, DomainEventMessage<?> event) {
        AnnotationEventHandlerAdapter handlers = new AnnotationEventHandlerAdapter(projection);
        transaction.executeWithoutResult(status -> {
            try {
                handlers.handle(event);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs {@code projection}'s reset handler, as a token reset does. */
    protected void reset(Object projection) {
        transaction.executeWithoutResult(status -> new AnnotationEventHandlerAdapter(projection).prepareReset());
    }
}
