package com.pictura.api.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator (wrk2 is not in Debian): sends POSTs at a fixed rate whatever the server does, and
 * measures each latency from the moment the request was <em>due</em>, not from when it could be sent, so that a
 * stalled server is not hidden by the generator waiting for it (coordinated omission). Latencies go into an
 * HdrHistogram. Depends only on the JDK and HdrHistogram, so that scripts/bench-gateway.sh runs it with the source
 * launcher against any jar:
 *
 * <pre>
 * java -cp HdrHistogram-2.2.2.jar OpenLoad.java URL KEYS RATE SECONDS [WARMUP_SECONDS] [MAX_OUTSTANDING]
 * </pre>
 * KEYS is a comma-separated list of bearer tokens used in turn; the body is read from $BENCH_BODY. Prints one line
 * starting with {@code OPEN}.
 */
public final class OpenLoad {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String[] keys = args[1].split(",");
        double rate = Double.parseDouble(args[2]);
        double seconds = Double.parseDouble(args[3]);
        double warmUp = args.length > 4 ? Double.parseDouble(args[4]) : 2;
        int maxOutstanding = args.length > 5 ? Integer.parseInt(args[5]) : 512;
        String body = System.getenv("BENCH_BODY");

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
        HttpRequest[] requests = new HttpRequest[keys.length];
        for (int i = 0; i < keys.length; i++) {
            requests[i] = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + keys[i]).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }
        Histogram latencies = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(120), 3); // microseconds
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong firstFailure = new AtomicLong();
        Semaphore outstanding = new Semaphore(maxOutstanding);

        long interval = (long) (1e9 / rate);
        long begin = System.nanoTime() + 50_000_000L;
        long measureFrom = begin + (long) (warmUp * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        long sent = 0;
        long stalled = 0;
        for (long i = 0; ; i++) {
            long due = begin + i * interval;
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!outstanding.tryAcquire()) {
                stalled++; // the server holds MAX_OUTSTANDING requests: wait, and let the delay count (due time)
                outstanding.acquireUninterruptibly();
            }
            boolean measured = due >= measureFrom;
            if (measured) {
                sent++;
            }
            client.sendAsync(requests[(int) (i % requests.length)], HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        long micros = (System.nanoTime() - due) / 1000;
                        outstanding.release();
                        if (!measured) {
                            return;
                        }
                        if (error == null && response.statusCode() == 200) {
                            ok.incrementAndGet();
                            latencies.recordValue(Math.min(micros, latencies.getHighestTrackableValue()));
                        } else {
                            failed.incrementAndGet();
                            if (firstFailure.compareAndSet(0, 1)) {
                                System.err.println("first failure: " + (error != null ? error
                                        : response.statusCode() + " " + response.body()));
                            }
                        }
                    });
        }
        outstanding.acquireUninterruptibly(maxOutstanding); // every request answered
        double took = (System.nanoTime() - measureFrom) / 1e9;
        System.out.printf("OPEN rate=%.0f sent=%d ok=%d failed=%d completed_per_s=%.1f p50_ms=%.2f p90_ms=%.2f "
                        + "p99_ms=%.2f p999_ms=%.2f max_ms=%.2f stalled_at_max_outstanding=%d%n",
                rate, sent, ok.get(), failed.get(), ok.get() / took,
                latencies.getValueAtPercentile(50) / 1000.0, latencies.getValueAtPercentile(90) / 1000.0,
                latencies.getValueAtPercentile(99) / 1000.0, latencies.getValueAtPercentile(99.9) / 1000.0,
                latencies.getMaxValue() / 1000.0, stalled);
        System.exit(0);
    }
}
