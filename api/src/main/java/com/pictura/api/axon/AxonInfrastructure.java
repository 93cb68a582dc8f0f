package com.pictura.api.axon;



import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.pictura.domain.Refusal;
import com.pictura.domain.actor.ActorCorrelation;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
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
        return eventMapper();
    }

    /** The stored format's mapper, also for readers outside a running application (the offline verifier). */
    public static ObjectMapper eventMapper() {
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
     * Commands enter the bus one per aggregate at a time ({@link AggregateLanes}). Commands that lose an
     * optimistic-lock race (two nodes appending to one wallet, or a stale cache entry) are retried; a refusal is
     * decided once more on the event store's state, then it is the answer.
     */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus) {
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
        return DefaultCommandGateway.builder()
                .commandBus(new AggregateLanes(commandBus))
                .retryScheduler(retries(retries))
                .build();
    }

    /**
     * <ul>
     *   <li>A lost race, a {@link ConcurrencyException} anywhere in the failure's chain of causes (the JPA event
     *       store reports the unique-key violation on (aggregate, sequence) as one wrapping the persistence
     *       exception), is retried up to 5 times, 20 ms apart. Axon's own predicate cannot say this: it is tested
     *       against the failure and each of its causes, and any match means "never retry", so a predicate like
     *       "not a ConcurrencyException" matches the wrapped persistence exception.</li>
     *   <li>A {@link Refusal} on the first attempt is decided once more, at once. With several nodes a cached
     *       aggregate can be behind the event store (another node reserved, charged or released since), so its
     *       refusal may be stale: an unknown reservation, credits that are in fact available. The failed unit of
     *       work evicted the entry, so the second attempt reads the store. Its refusal is the answer.</li>
     *   <li>Nothing else is retried.</li>
     * </ul>
     */
    static RetryScheduler retries(ScheduledExecutorService executor) {
        RetryScheduler intervals = IntervalRetryScheduler.builder()
                .retryExecutor(executor)
                .retryInterval(20)
                .maxRetryCount(5)
                // Only conflicts get here: see below.
                .nonTransientFailurePredicate(failure -> false)
                .build();
        return (command, failure, failures, dispatch) -> {
            if (isConflict(failure)) {
                return intervals.scheduleRetry(command, failure, failures, dispatch);
            }
            if (failure instanceof Refusal && failures.size() == 1) {
                executor.execute(dispatch);
                return true;
            }
            return false;
        };
    }

    /** A ConcurrencyException somewhere in the chain, and no refusal of the domain's. */
    static boolean isConflict(Throwable failure) {
        boolean conflict = false;
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
            if (cause instanceof Refusal) {
                return false;
            }
            conflict |= cause instanceof ConcurrencyException;
        }
        return conflict;
    }
}
