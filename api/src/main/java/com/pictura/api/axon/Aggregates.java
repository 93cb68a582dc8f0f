package com.pictura.api.axon;

import com.pictura.domain.account.Account;
import com.pictura.domain.apikey.ApiKey;
import com.pictura.domain.wallet.CreditWallet;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
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
                                            @Value("${pictura.ledger.cache:true}") boolean cached,
                                            @Value("${pictura.ledger.cache-size:0}") int cacheSize) {
        return configurer -> {
            configurer.configureAggregate(aggregate(CreditWallet.class, snapshotEvery, cached, cacheSize));
            configurer.configureAggregate(aggregate(Account.class, snapshotEvery, cached, cacheSize));
            configurer.configureAggregate(aggregate(ApiKey.class, snapshotEvery, cached, cacheSize));
            // A failing handler fails the command that caused the event (subscribing lookups) or sends the event
            // to the dead-letter queue (streaming read models); it is never logged and forgotten.
            configurer.eventProcessing()
                    .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
        };
    }

    private static <A> AggregateConfigurer<A> aggregate(Class<A> type, int snapshotEvery, boolean cached,
                                                        int cacheSize) {
        AggregateConfigurer<A> aggregate = AggregateConfigurer.defaultConfiguration(type);
        if (cached) {
            // cache-size > 0 (the gateway sets it): a bounded LRU that survives garbage collections.
            Cache cache = cacheSize > 0 ? new BoundedCache(cacheSize) : new WeakReferenceCache();
            aggregate.configureCache(c -> cache);
        }
        if (snapshotEvery > 0) {
            aggregate.configureSnapshotTrigger(
                    c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(), snapshotEvery));
        }
        return aggregate;
    }
}
