package com.pictura.api.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.pictura.PicturaApplication;
import com.pictura.api.Http;
import com.pictura.api.Mailbox;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletCommand.GrantCredits;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A quick load run of the gateway, not a test: starts the application on a fresh embedded PostgreSQL (fsync on),
 * then drives non-streaming chat calls through /v1 and, for comparison, straight at the simulator, with a fixed
 * number of closed-loop clients. Prints requests per second, settled calls per second and latency percentiles.
 *
 * <pre>
 * scripts/bench.sh GatewayLoad 32 15 20 20      # clients, seconds, accounts, warm-up seconds
 * </pre>
 */
public final class GatewayLoad {

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int accounts = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Path data = Files.createTempDirectory("gateway-load");
        // System properties outrank gateway.yml: the run measures the gateway, not its rate limits.
        System.setProperty("pictura.gateway.rate-limits.requests-per-minute", "100000000");
        System.setProperty("pictura.gateway.rate-limits.tokens-per-minute", "100000000000");
        // Command-line arguments: they outrank application.yml (default properties would not).
        ConfigurableApplicationContext app = new SpringApplicationBuilder(PicturaApplication.class)
                .run("--server.port=0", "--pictura.embedded-postgres.data-dir=" + data,
                        "--pictura.embedded-postgres.durable=" + System.getProperty("durable", "true"),
                        "--pictura.security.bcrypt-strength=4", "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN", "--server.tomcat.threads.max=200",
                        "--spring.datasource.hikari.maximum-pool-size=" + System.getProperty("pool", "20"));
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        Http http = new Http(port);
        CommandGateway commands = app.getBean(CommandGateway.class);
        List<String> keys = new ArrayList<>();
        List<String> wallets = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            String email = "load-" + i + "-" + UUID.randomUUID() + "@example.com";
            var created = http.post("/api/accounts", null, Map.of("email", email, "password", "correct horse battery",
                    "ageConfirmed", true, "termsAccepted", true));
            String accountId = created.json().get("id").asString();
            String session = http.post("/api/session", null, Map.of("email", email, "password", "correct horse battery"))
                    .json().get("token").asString();
            Mailbox.verifyEmail(http, session);
            keys.add(http.post("/api/keys", session, Map.of("name", "load")).json().get("key").asString());
            WalletId wallet = WalletId.of(new AccountId(accountId));
            wallets.add(wallet.value());
            commands.sendAndWait(new GrantCredits(wallet, "load", Credits.of(1_000_000), "load test", Actor.SYSTEM));
        }
        String body = Http.json(Map.of("model", "llama-3.1-8b-instruct", "max_tokens", 16,
                "messages", List.of(Map.of("role", "user", "content", "Say hello."))));
        String simulatorBody = body.replace("llama-3.1-8b-instruct", "meta-llama/Llama-3.1-8B-Instruct");

        System.out.println("warm-up ...");
        run(port, "/simulator/v1/chat/completions", null, simulatorBody, clients, 3);
        run(port, "/v1/chat/completions", keys, body, clients, warmUp); // JIT and caches: Hibernate, Axon, Netty
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        // Every warm-up call settled before measuring, or its late charges would be counted as measured ones.
        if (!awaitNoOpenHold(jdbc, Duration.ofSeconds(120))) {
            System.out.printf("warm-up: %d holds still open after 120 s; the figures below are not trustworthy%n",
                    openHolds(jdbc));
        }

        Result direct = run(port, "/simulator/v1/chat/completions", null, simulatorBody, clients, seconds);
        long chargesBefore = charges(jdbc);
        long start = System.nanoTime();
        Result gateway = run(port, "/v1/chat/completions", keys, body, clients, seconds);
        boolean settledAll = awaitNoOpenHold(jdbc, Duration.ofSeconds(120));
        double settledSeconds = (System.nanoTime() - start) / 1e9;
        long charged = charges(jdbc) - chargesBefore;
        System.out.printf("simulator direct: %s%n", direct);
        System.out.printf("through /v1:      %s%n", gateway);
        if (settledAll) {
            System.out.printf("settled: %d calls charged in %.1f s (from the first request to the last charge) = %.0f/s%n",
                    charged, settledSeconds, charged / settledSeconds);
        } else {
            System.out.printf("NOT settled: %d of %d calls charged after %.1f s, %d holds still open%n",
                    charged, gateway.ok(), settledSeconds, openHolds(jdbc));
        }
        System.out.printf("added latency at p50: %.2f ms, p99: %.2f ms%n", gateway.p50() - direct.p50(),
                gateway.p99() - direct.p99());
        app.close();
    }

    /** Charges in the event store (not a read model, which may lag). */
    private static long charges(JdbcClient jdbc) {
        return jdbc.sql("select count(*) from domain_event_entry where payload_type like '%UsageCharged'")
                .query(Long.class).single();
    }

    /** Holds in the event store that no charge or release has settled yet. */
    private static long openHolds(JdbcClient jdbc) {
        return jdbc.sql("""
                select count(*) filter (where payload_type like '%CreditsReserved')
                     - count(*) filter (where payload_type like '%UsageCharged' or payload_type like '%ReservationReleased')
                from domain_event_entry""").query(Long.class).single();
    }

    private static boolean awaitNoOpenHold(JdbcClient jdbc, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (openHolds(jdbc) > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    record Result(long ok, long failed, double seconds, double p50, double p90, double p99) {
        @Override
        public String toString() {
            return String.format("%d ok, %d failed, %.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms",
                    ok, failed, ok / seconds, p50, p90, p99);
        }
    }

    private static Result run(int port, String path, List<String> keys, String body, int clients, int seconds)
            throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long[][] latencies = new long[clients][];
        AtomicInteger[] counts = new AtomicInteger[clients];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int index = c;
            latencies[c] = new long[2_000_000 / clients];
            counts[c] = new AtomicInteger();
            Thread thread = new Thread(() -> {
                HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                builder.header("Authorization", "Bearer " + (keys != null ? keys.get(index % keys.size())
                        : com.pictura.api.catalog.Catalog.SIMULATOR_LOCAL_KEY));
                HttpRequest request = builder.build();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                            int n = counts[index].getAndIncrement();
                            if (n < latencies[index].length) {
                                latencies[index][n] = System.nanoTime() - t0;
                            }
                        } else if (failed.incrementAndGet() <= 3) {
                            System.out.println("failed: " + response.statusCode() + " " + response.body());
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long[] all = new long[0];
        for (int c = 0; c < clients; c++) {
            int n = Math.min(counts[c].get(), latencies[c].length);
            long[] merged = Arrays.copyOf(all, all.length + n);
            System.arraycopy(latencies[c], 0, merged, all.length, n);
            all = merged;
        }
        Arrays.sort(all);
        return new Result(ok.get(), failed.get(), seconds, pct(all, 0.50), pct(all, 0.90), pct(all, 0.99));
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }
}
