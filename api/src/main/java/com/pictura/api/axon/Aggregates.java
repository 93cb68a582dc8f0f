package com.pictura.api.axon;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.pictura.domain.account.Account;
import com.pictura.domain.apikey.ApiKey;
import com.pictura.domain.wallet.CreditWallet;
import org.axonframework.common.caching.Cache;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.snapshotting.RevisionSnapshotFilter;
import org.axonframework.serialization.Revision;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the aggregates with Axon. The domain module carries no Spring annotations, so this is where they
 * meet the application, together with what makes a long-lived wallet fast: a cache (a hot wallet is not
 * re-read from its whole stream on every command) and snapshots (a cold one is read from its latest snapshot).
 *
 * <p>With several nodes a cached wallet can be stale; the append then fails on the event table's unique
 * (aggregate id, sequence), Axon evicts the entry, and the command gateway retries.
 */
@Configuration(proxyBeanMethods = false)
public class Aggregates {

    @Bean
    ConfigurerModule aggregateConfiguration(@Value("${pictura.ledger.snapshot-every:100}") int snapshotEvery,
                                            @Value("${pictura.ledger.cache-size:10000}") int cacheSize) {
        return configurer -> {
            configurer.configureAggregate(aggregate(CreditWallet.class, snapshotEvery, cacheSize));
            configurer.configureAggregate(aggregate(Account.class, snapshotEvery, cacheSize));
            configurer.configureAggregate(aggregate(ApiKey.class, snapshotEvery, cacheSize));
            // A failing handler fails the command that caused the event (subscribing lookups) or sends the event
            // to the dead-letter queue (streaming read models); it is never logged and forgotten.
            configurer.eventProcessing()
                    .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
        };
    }

    /**
     * Axon's Spring snapshotter only knows aggregates declared as Spring beans; these are registered through the
     * configurer, so the snapshotter is given their factories here. Snapshots are taken after the command's
     * transaction on a thread of their own: on the committing thread a snapshot kept the aggregate's lane (and a
     * paid call's settlement) waiting while it re-read and serialized the wallet. A snapshot is only a shortcut,
     * so one that finds the queue full is skipped; the next trigger takes it.
     */
    @Bean
    Snapshotter snapshotter(EventStore eventStore, TransactionManager transactionManager) {
        ThreadPoolExecutor snapshots = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1024), runnable -> {
                    Thread thread = new Thread(runnable, "snapshotter");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.DiscardPolicy());
        return AggregateSnapshotter.builder()
                .eventStore(eventStore)
                .transactionManager(transactionManager)
                .executor(snapshots)
                .aggregateFactories(new GenericAggregateFactory<>(CreditWallet.class),
                        new GenericAggregateFactory<>(Account.class), new GenericAggregateFactory<>(ApiKey.class))
                .build();
    }

    private static <A> AggregateConfigurer<A> aggregate(Class<A> type, int snapshotEvery, int cacheSize) {
        AggregateConfigurer<A> aggregate = AggregateConfigurer.defaultConfiguration(type);
        if (cacheSize > 0) {
            Cache cache = new LruCache(cacheSize);
            aggregate.configureCache(c -> cache);
        }
        // A snapshot of another revision than the class's @Revision is ignored: the aggregate is rebuilt from its
        // events (and snapshotted afresh). The type is the one snapshots are stored under, the simple class name;
        // RevisionSnapshotFilter.Builder#type(Class) uses the full name and would match nothing in Axon 4.13.
        Revision revision = type.getAnnotation(Revision.class);
        if (revision == null) {
            throw new IllegalStateException(type.getName() + " needs a @Revision: its snapshots must say their shape");
        }
        aggregate.configureSnapshotFilter(c -> RevisionSnapshotFilter.builder()
                .type(type.getSimpleName()).revision(revision.value()).build());
        if (snapshotEvery > 0) {
            aggregate.configureSnapshotTrigger(
                    c -> new EventCountSnapshotTriggerDefinition(c.getComponent(Snapshotter.class), snapshotEvery));
        }
        return aggregate;
    }
}
