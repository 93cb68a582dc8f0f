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
 * <p>With the argument {@code figures} it measures only the cached setting and prints the figures P3 and P4 of
 * docs/benchmarks.md as ratios: P3, pairs per second over 100 wallets against raw JDBC writing the same two rows in
 * the same two transactions ({@link #THREADS} threads each); P4, one hot wallet against 100 wallets, both with
 * {@code bench.hot-threads} (64) threads.
 *
 * <p>Run: see docs/benchmarks.md. Not a test: it asserts nothing and is not run by {@code mvn verify}.
 */
public final class LedgerBenchmark {

    static final int THREADS = Integer.getInteger("bench.threads", 10);
    static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup", 3));
    static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
    static final int SNAPSHOT_EVERY = Integer.getInteger("bench.snapshot-every", 100);
    static final int HOT_THREADS = Integer.getInteger("bench.hot-threads", 64);

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("figures")) {
            figures();
            return;
        }
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
                        double rate = run(THREADS, () -> pairs(commands, openWallets(commands, wallets)));
                        report.add(String.format("%-28s %3d wallet(s): %8.1f reserve+commit pairs/s",
                                setting, wallets, rate));
                    }
                    if (cached) {
                        double raw = run(THREADS, () -> rawJdbc(app.getBean(DataSource.class), 1, 2));
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

    /** P3 and P4 (docs/benchmarks.md), cached setting only, as ratios to baselines of the same run. */
    private static void figures() throws Exception {
        Path dir = Files.createTempDirectory("pictura-bench-");
        String url = EmbeddedPostgres.jdbcUrl(dir.resolve("pg"), true);
        List<String> report = new ArrayList<>();
        long began = System.nanoTime();
        try (var app = start(url, true)) {
            CommandGateway commands = app.getBean(CommandGateway.class);
            DataSource db = app.getBean(DataSource.class);
            List<WalletId> hundred = openWallets(commands, 100);
            List<WalletId> one = openWallets(commands, 1);
            double p3 = run(THREADS, () -> pairs(commands, hundred));
            double rawPairs = run(THREADS, () -> rawJdbc(db, 2, 1));
            double rawTx = run(THREADS, () -> rawJdbc(db, 1, 2));
            double hot = run(HOT_THREADS, () -> pairs(commands, one));
            double spread = run(HOT_THREADS, () -> pairs(commands, hundred));
            report.add(String.format("LedgerBenchmark figures: warm-up %ss, measured %ss per line, PostgreSQL fsync on, "
                            + "LRU cache, snapshot every %d, %d cores, load average %s", WARMUP.toSeconds(),
                    MEASURE.toSeconds(), SNAPSHOT_EVERY, Runtime.getRuntime().availableProcessors(), loadAverage()));
            report.add("");
            report.add("| figure | value | baseline (same run) | baseline value | ratio |");
            report.add("|---|---|---|---|---|");
            report.add(String.format("| P3 reserve+commit pairs/s, 100 wallets, %d threads | %.1f | raw JDBC pairs/s "
                    + "(2 transactions of 1 insert), %d threads | %.1f | %.1f %% |", THREADS, p3, THREADS, rawPairs,
                    100 * p3 / rawPairs));
            report.add(String.format("| P3 (old baseline) | %.1f | raw JDBC transactions/s (1 transaction of 2 "
                    + "inserts), %d threads | %.1f | %.1f %% |", p3, THREADS, rawTx, 100 * p3 / rawTx));
            report.add(String.format("| P4 pairs/s, 1 hot wallet, %d threads | %.1f | 100 wallets, %d threads | %.1f "
                    + "| %.1f %% |", HOT_THREADS, hot, HOT_THREADS, spread, 100 * hot / spread));
        } finally {
            EmbeddedPostgres.stop(dir.resolve("pg"));
            deleteRecursively(dir);
        }
        printAndExit(report, began);
    }

    /** Prints a harness's report with its total time, and ends the JVM (the application's threads keep it alive). */
    static void printAndExit(List<String> report, long began) {
        report.add("");
        report.add(String.format("took %.0f s", (System.nanoTime() - began) / 1e9));
        System.out.println();
        report.forEach(System.out::println);
        System.exit(0);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).substring(0, 14).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    private static ConfigurableApplicationContext start(String url, boolean cached) {
        return new SpringApplicationBuilder(PicturaApplication.class)
                .run("--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                        "--spring.datasource.password=postgres", "--spring.main.banner-mode=off",
                        // A database of its own is not the embedded default: the simulators must be allowed.
                        "--pictura.billing.stripe.simulator-allowed=true", "--pictura.simulator.allowed=true",
                        "--pictura.mail.outbox-allowed=true",
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

    /**
     * The floor under any event store: two rows shaped like domain_event_entry per unit of work, written in
     * {@code transactions} transactions of {@code perTransaction} inserts each.
     */
    private static Work rawJdbc(DataSource dataSource, int transactions, int perTransaction) throws Exception {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("create table if not exists bench_events (like domain_event_entry including all)");
            s.execute("create sequence if not exists bench_events_seq");
        }
        byte[] payload = ("{\"walletId\":\"wal_x\",\"reservationId\":\"res_x\",\"amount\":2000000,"
                + "\"promotional\":2000000,\"paid\":0}").getBytes();
        byte[] meta = "{\"actor\":\"system:pictura\",\"correlationId\":\"x\"}".getBytes();
        return () -> {
            String aggregate = "wal_" + UUID.randomUUID();
            int seq = 0;
            for (int tx = 0; tx < transactions; tx++) {
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    try (PreparedStatement insert = c.prepareStatement("insert into bench_events (global_index, "
                            + "event_identifier, aggregate_identifier, sequence_number, type, time_stamp, "
                            + "payload_type, payload_revision, payload, meta_data) values (nextval('bench_events_seq'), "
                            + "?, ?, ?, 'CreditWallet', ?, 'CreditsReserved', '1', ?, ?)")) {
                        for (int i = 0; i < perTransaction; i++, seq++) {
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

    /** Runs {@code work} on {@code threads} threads; returns completions per second after the warm-up. */
    private static double run(int threads, WorkFactory factory) throws Exception {
        Work work = factory.create();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch finished = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
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

    static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            System.out.println("could not delete " + dir + ": " + e);
        }
    }
}
