package com.pictura.api.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.pictura.PicturaApplication;
import com.pictura.api.database.EmbeddedPostgres;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletEvent.CreditsGranted;
import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import com.pictura.domain.wallet.WalletEvent.WalletOpened;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * P5 of docs/benchmarks.md: replay of the projections from a large event store, in events per second, beside the
 * rate at which plain JDBC reads and deserializes the same events (the floor under any replay).
 *
 * <p>Starts the application on a fresh embedded PostgreSQL (fsync on), stops every streaming processor (so that
 * neither the projections nor the saga see the generated events as they are written), appends {@code bench.events}
 * wallet events in batches (open, grant, then reserve + charge pairs, interleaved over {@code bench.wallets}
 * wallets, as the gateway writes them): serialized by the application's event serializer and batch-inserted with
 * JDBC as Axon's JPA storage engine would write them ({@code bench.generate=jdbc}, the default), or through Axon's
 * {@link EventStorageEngine} ({@code bench.generate=engine}, slower: a sequence round trip per event), then replays the processors
 * in {@code bench.processors} the way operations do it: {@code shutDown(); resetTokens(); start();}, and waits
 * until every segment of each has passed the last event. The saga and automations are never restarted.
 *
 * <pre>
 * JAVA_OPTS="-Dbench.events=1000000 -Dbench.wallets=1000" scripts/bench.sh ReplayBenchmark
 * </pre>
 */
public final class ReplayBenchmark {

    static final int EVENTS = Integer.getInteger("bench.events", 1_000_000);
    static final int WALLETS = Integer.getInteger("bench.wallets", 1_000);
    static final int BATCH = Integer.getInteger("bench.batch", 1_000);
    /** jdbc: the rows Axon would write, serialized by its serializer, batch-inserted; engine: EventStorageEngine. */
    static final String GENERATE = System.getProperty("bench.generate", "jdbc");
    static final List<String> PROCESSORS = Arrays.asList(System.getProperty("bench.processors", "balances,ledger")
            .split(","));

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("pictura-replay-");
        String url = EmbeddedPostgres.jdbcUrl(dir.resolve("pg"), true);
        List<String> report = new ArrayList<>();
        long began = System.nanoTime();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(PicturaApplication.class)
                .run("--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                        "--spring.datasource.password=postgres", "--spring.main.banner-mode=off",
                        // A database of its own is not the embedded default: the simulators must be allowed.
                        "--pictura.billing.stripe.simulator-allowed=true", "--pictura.simulator.allowed=true",
                        "--pictura.mail.outbox-allowed=true",
                        "--logging.level.root=WARN")) {
            EventProcessingConfiguration processing = app.getBean(EventProcessingConfiguration.class);
            Map<String, StreamingEventProcessor> streaming = new LinkedHashMap<>();
            processing.eventProcessors().forEach((name, p) -> {
                if (p instanceof StreamingEventProcessor s) {
                    streaming.put(name, s);
                }
            });
            System.out.println("streaming processors: " + streaming.keySet() + "; replaying " + PROCESSORS);
            for (String name : PROCESSORS) {
                if (!streaming.containsKey(name)) {
                    throw new IllegalArgumentException("no streaming processor " + name);
                }
            }
            streaming.values().forEach(StreamingEventProcessor::shutDown);

            DataSource db = app.getBean(DataSource.class);
            Serializer serializer = app.getBean("eventSerializer", Serializer.class);
            long t0 = System.nanoTime();
            if (GENERATE.equals("engine")) {
                EventStorageEngine storage = app.getBean(EventStorageEngine.class);
                TransactionTemplate tx = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
                generate(batch -> tx.executeWithoutResult(status -> storage.appendEvents(batch)));
            } else {
                generate(batch -> insert(db, serializer, batch));
            }
            double generateSeconds = (System.nanoTime() - t0) / 1e9;
            long head;
            long total;
            try (Connection c = db.getConnection(); var s = c.createStatement();
                 ResultSet r = s.executeQuery("select max(global_index), count(*) from domain_event_entry")) {
                r.next();
                head = r.getLong(1);
                total = r.getLong(2);
            }
            System.out.printf("generated %d events in %.1f s (%.0f/s); %d events in the store, head %d%n",
                    EVENTS, generateSeconds, EVENTS / generateSeconds, total, head);

            t0 = System.nanoTime();
            long read = readAll(db, serializer);
            double readSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("baseline: read and deserialized %d events in %.1f s%n", read, readSeconds);

            t0 = System.nanoTime();
            for (String name : PROCESSORS) {
                StreamingEventProcessor p = streaming.get(name);
                p.resetTokens();
                p.start();
            }
            Map<String, Double> finished = new LinkedHashMap<>();
            long lastPrint = System.nanoTime();
            while (finished.size() < PROCESSORS.size()) {
                Thread.sleep(200);
                for (String name : PROCESSORS) {
                    if (!finished.containsKey(name) && caughtUp(streaming.get(name), head)) {
                        finished.put(name, (System.nanoTime() - t0) / 1e9);
                        System.out.printf("  %s caught up after %.1f s%n", name, finished.get(name));
                    }
                }
                if (System.nanoTime() - lastPrint > 30e9) {
                    lastPrint = System.nanoTime();
                    for (String name : PROCESSORS) {
                        System.out.printf("  %s at %s of %d after %.0f s%n", name, position(streaming.get(name)),
                                head, (System.nanoTime() - t0) / 1e9);
                    }
                }
            }
            double replaySeconds = (System.nanoTime() - t0) / 1e9;

            double replayRate = total / replaySeconds;
            double readRate = read / readSeconds;
            report.add(String.format("ReplayBenchmark: %d events (%d generated over %d wallets), processors %s, "
                            + "PostgreSQL fsync on, %d cores, load average %s", total, EVENTS, WALLETS, PROCESSORS,
                    Runtime.getRuntime().availableProcessors(), LedgerBenchmark.loadAverage()));
            report.add("");
            report.add("| figure | value | baseline (same run) | baseline value | ratio |");
            report.add("|---|---|---|---|---|");
            report.add(String.format("| P5 replay of %s, events/s (all caught up after %.1f s) | %.0f | JDBC read + "
                            + "deserialize of the same events | %.0f | %.1f %% |", String.join(" + ", PROCESSORS),
                    replaySeconds, replayRate, readRate, 100 * replayRate / readRate));
            for (var e : finished.entrySet()) {
                report.add(String.format("| P5 %s alone caught up | %.1f s = %.0f events/s | | | |", e.getKey(),
                        e.getValue(), total / e.getValue()));
            }
            report.add(String.format("| generation (%s, batches of %d) | %.0f events/s | | | |",
                    GENERATE, BATCH, EVENTS / generateSeconds));
        } finally {
            EmbeddedPostgres.stop(dir.resolve("pg"));
            LedgerBenchmark.deleteRecursively(dir);
        }
        LedgerBenchmark.printAndExit(report, began);
    }

    /** Open, grant, then reserve + charge pairs, one event per wallet in turn. */
    private static void generate(Appender appender) throws Exception {
        int perWallet = Math.max(2, EVENTS / WALLETS);
        WalletId[] wallets = new WalletId[WALLETS];
        AccountId[] accounts = new AccountId[WALLETS];
        ReservationId[] reservations = new ReservationId[WALLETS];
        for (int w = 0; w < WALLETS; w++) {
            accounts[w] = AccountId.generate();
            wallets[w] = WalletId.of(accounts[w]);
        }
        Instant expires = Instant.now().plus(Duration.ofDays(1));
        Usage usage = new Usage(10, 16, 0, 1);
        MetaData meta = MetaData.with("actor", "system:pictura");
        List<EventMessage<?>> batch = new ArrayList<>(BATCH);
        long written = 0;
        long lastPrint = System.nanoTime();
        for (int seq = 0; seq < perWallet && written < EVENTS; seq++) {
            for (int w = 0; w < WALLETS && written < EVENTS; w++) {
                Object payload;
                if (seq == 0) {
                    payload = new WalletOpened(wallets[w], accounts[w]);
                } else if (seq == 1) {
                    payload = new CreditsGranted(wallets[w], "grant_bench_" + w, Credits.of(1_000_000_000L), "bench");
                } else if (seq % 2 == 0) {
                    reservations[w] = ReservationId.generate();
                    payload = new CreditsReserved(wallets[w], reservations[w], Credits.ofMicros(2_000),
                            Credits.ofMicros(2_000), Credits.ZERO, "key_bench", "llama-3.1-8b-instruct", expires);
                } else {
                    payload = new UsageCharged(wallets[w], reservations[w], Credits.ofMicros(1_000),
                            Credits.ofMicros(1_000), Credits.ZERO, Credits.ofMicros(2_000), Credits.ZERO, usage);
                }
                batch.add(new GenericDomainEventMessage<>("CreditWallet", wallets[w].value(), seq, payload, meta));
                written++;
                if (batch.size() == BATCH) {
                    appender.append(batch);
                    batch.clear();
                }
            }
            if (System.nanoTime() - lastPrint > 15e9) {
                lastPrint = System.nanoTime();
                System.out.printf("  generated %d of %d%n", written, EVENTS);
            }
        }
        if (!batch.isEmpty()) {
            appender.append(batch);
        }
    }

    @FunctionalInterface
    interface Appender {
        void append(List<EventMessage<?>> batch) throws Exception;
    }

    /** What Axon's JPA storage engine writes for each event, in one transaction per batch. */
    private static void insert(DataSource db, Serializer serializer, List<EventMessage<?>> batch) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("insert into domain_event_entry (global_index, "
                    + "event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type, "
                    + "payload_revision, payload, meta_data) values (nextval('domain_event_entry_global_index_seq'), "
                    + "?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (EventMessage<?> m : batch) {
                    var e = (GenericDomainEventMessage<?>) m;
                    SerializedObject<byte[]> payload = serializer.serialize(e.getPayload(), byte[].class);
                    SerializedObject<byte[]> meta = serializer.serialize(e.getMetaData(), byte[].class);
                    insert.setString(1, e.getIdentifier());
                    insert.setString(2, e.getAggregateIdentifier());
                    insert.setLong(3, e.getSequenceNumber());
                    insert.setString(4, e.getType());
                    insert.setString(5, e.getTimestamp().toString());
                    insert.setString(6, payload.getType().getName());
                    insert.setString(7, payload.getType().getRevision());
                    insert.setBytes(8, payload.getData());
                    insert.setBytes(9, meta.getData());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
    }

    /** The floor: every event read in order with plain JDBC and deserialized with the application's serializer. */
    private static long readAll(DataSource db, Serializer serializer) throws Exception {
        long n = 0;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("select payload_type, payload_revision, payload "
                    + "from domain_event_entry order by global_index")) {
                s.setFetchSize(1_000);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Object event = serializer.deserialize(new SimpleSerializedObject<>(r.getBytes(3),
                                byte[].class, r.getString(1), r.getString(2)));
                        if (event != null) {
                            n++;
                        }
                    }
                }
            }
            c.rollback();
        }
        return n;
    }

    private static boolean caughtUp(StreamingEventProcessor p, long head) {
        Map<Integer, EventTrackerStatus> status = p.processingStatus();
        if (status.isEmpty()) {
            return false;
        }
        for (EventTrackerStatus s : status.values()) {
            // not isReplaying(): a segment's status may keep saying so after it has passed the last event
            if (s.isErrorState() || s.getCurrentPosition().orElse(-1) < head) {
                return false;
            }
        }
        return true;
    }

    private static String position(StreamingEventProcessor p) {
        return p.processingStatus().values().stream().map(s -> s.getCurrentPosition().orElse(-1)
                + (s.isReplaying() ? " replaying" : "") + (s.isErrorState() ? " ERROR " + s.getError() : ""))
                .toList().toString();
    }
}
