package com.pictura.api.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.pictura.PicturaApplication;
import com.pictura.api.database.EmbeddedPostgres;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletCommand.CommitCharge;
import com.pictura.domain.wallet.WalletCommand.OpenWallet;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The ledger's command side under load: reserve + commit pairs per second on one hot wallet and spread over a
 * hundred, with and without the aggregate cache and snapshots, beside raw JDBC writing the same rows (two
 * inserts per transaction into a copy of the event table) on the same database. PostgreSQL runs with fsync on.
 *
 * <p>Run: see docs/benchmarks.md. Not a test: it asserts nothing and is not run by {@code mvn verify}.
 */
public final class LedgerBenchmark {

    static final int THREADS = Integer.getInteger("bench.threads", 10);
    static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup", 3));
    static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
    static final int SNAPSHOT_EVERY = Integer.getInteger("bench.snapshot-every", 100);

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("pictura-bench-");
        String url = EmbeddedPostgres.jdbcUrl(dir.resolve("pg"), true);
        List<String> report = new ArrayList<>();
        report.add(String.format("threads=%d, warmup=%ss, measured=%ss, PostgreSQL fsync on, %d cores",
                THREADS, WARMUP.toSeconds(), MEASURE.toSeconds(), Runtime.getRuntime().availableProcessors()));
        try {
            for (boolean cached : new boolean[] {false, true}) {
                try (var app = start(url, cached)) {
                    CommandGateway commands = app.getBean(CommandGateway.class);
                    String setting = cached ? "cache + snapshot every " + SNAPSHOT_EVERY : "no cache, no snapshots";
                    for (int wallets : new int[] {1, 100}) {
                        double rate = run(() -> pairs(commands, openWallets(commands, wallets)));
                        report.add(String.format("%-28s %3d wallet(s): %8.1f reserve+commit pairs/s",
                                setting, wallets, rate));
                    }
                    if (cached) {
                        double raw = run(() -> rawJdbc(app.getBean(DataSource.class)));
                        report.add(String.format("%-28s %16s %8.1f transactions/s (2 inserts each)",
                                "raw JDBC baseline", "", raw));
                    }
                }
            }
        } finally {
            EmbeddedPostgres.stop(dir.resolve("pg"));
        }
        System.out.println();
        report.forEach(System.out::println);
        System.exit(0);
    }

    private static ConfigurableApplicationContext start(String url, boolean cached) {
        return new SpringApplicationBuilder(PicturaApplication.class)
                .run("--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                        "--spring.datasource.password=postgres", "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN", "--pictura.ledger.cache-size=" + (cached ? 10_000 : 0),
                        "--pictura.ledger.snapshot-every=" + (cached ? SNAPSHOT_EVERY : 0));
    }

    private static List<WalletId> openWallets(CommandGateway commands, int count) {
        List<WalletId> wallets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AccountId account = AccountId.generate();
            WalletId wallet = WalletId.of(account);
            commands.sendAndWait(new OpenWallet(wallet, account, Credits.of(1_000_000_000L), Actor.SYSTEM));
            wallets.add(wallet);
        }
        return wallets;
    }

    /** One unit of work: a hold and its charge on a wallet picked round-robin. */
    private static Work pairs(CommandGateway commands, List<WalletId> wallets) {
        AtomicLong next = new AtomicLong();
        Instant expires = Instant.now().plus(Duration.ofHours(1));
        return () -> {
            WalletId wallet = wallets.get((int) (next.getAndIncrement() % wallets.size()));
            ReservationId reservation = ReservationId.generate();
            commands.sendAndWait(new ReserveCredits(wallet, reservation, Credits.of(2), "key_bench", "bench",
                    expires, Actor.SYSTEM));
            commands.sendAndWait(new CommitCharge(wallet, reservation, Credits.of(1), new Usage(10, 10, 0, 1),
                    Instant.now(), Actor.SYSTEM));
        };
    }

    /** The floor under any event store: two rows shaped like domain_event_entry per transaction. */
    private static Work rawJdbc(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("create table if not exists bench_events (like domain_event_entry including all)");
            s.execute("create sequence if not exists bench_events_seq");
        }
        byte[] payload = ("{\"walletId\":\"wal_x\",\"reservationId\":\"res_x\",\"amount\":2000000,"
                + "\"promotional\":2000000,\"paid\":0}").getBytes();
        byte[] meta = "{\"actor\":\"system:pictura\",\"correlationId\":\"x\"}".getBytes();
        return () -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                String aggregate = "wal_" + UUID.randomUUID();
                try (PreparedStatement insert = c.prepareStatement("insert into bench_events (global_index, "
                        + "event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type, "
                        + "payload_revision, payload, meta_data) values (nextval('bench_events_seq'), ?, ?, ?, "
                        + "'CreditWallet', ?, 'CreditsReserved', '1', ?, ?)")) {
                    for (int seq = 0; seq < 2; seq++) {
                        insert.setString(1, UUID.randomUUID().toString());
                        insert.setString(2, aggregate);
                        insert.setLong(3, seq);
                        insert.setString(4, Instant.now().toString());
                        insert.setBytes(5, payload);
                        insert.setBytes(6, meta);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                c.commit();
            }
        };
    }

    @FunctionalInterface
    interface Work {
        void once() throws Exception;
    }

    @FunctionalInterface
    interface WorkFactory {
        Work create() throws Exception;
    }

    /** Runs {@code work} on {@link #THREADS} threads; returns completions per second after the warm-up. */
    private static double run(WorkFactory factory) throws Exception {
        Work work = factory.create();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch finished = new CountDownLatch(THREADS);
        for (int t = 0; t < THREADS; t++) {
            pool.execute(() -> {
                while (!stop.get()) {
                    try {
                        work.once();
                        if (measuring.get()) {
                            done.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
                finished.countDown();
            });
        }
        Thread.sleep(WARMUP.toMillis());
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(MEASURE.toMillis());
        long count = done.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        finished.await();
        pool.shutdown();
        if (failures.get() > 0) {
            System.out.println("  (" + failures.get() + " failed units of work)");
        }
        return count / seconds;
    }
}
