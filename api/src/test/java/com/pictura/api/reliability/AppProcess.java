package com.pictura.api.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.pictura.PicturaApplication;
import com.pictura.api.Http;

/**
 * The whole application as a separate operating-system process on its own port, started from the test's own
 * class path against a given database, so a test can kill it as a crash does ({@code SIGKILL}: no shutdown hook,
 * no draining, nothing flushed) and start it again.
 */
final class AppProcess implements AutoCloseable {

    private static final Path LOGS = Path.of("target", "reliability");

    /**
     * Timeouts for calls of a few seconds, and holds that expire about 27 s after they are placed (connect 2 s +
     * total 15 s + grace 10 s): short enough for a test to wait for, long enough for a node to restart first.
     */
    static final List<String> SHORT_HOLDS = List.of(
            "--pictura.catalog.providers.simulator.first-byte-timeout=PT10S",
            "--pictura.catalog.providers.simulator.total-timeout=PT15S",
            "--pictura.gateway.reservation-grace=PT10S",
            "--pictura.gateway.sweep-interval=PT1S",
            // a test's own database is not the embedded default, so the simulators must be allowed by name
            "--pictura.billing.stripe.simulator-allowed=true",
            "--pictura.simulator.allowed=true",
            "--pictura.mail.outbox-allowed=true");

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private AppProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts a node and returns once it answers its health check. */
    static AppProcess start(String name, String jdbcUrl, List<String> settings) {
        AppProcess node = launch(name, jdbcUrl, settings);
        node.awaitHealthy(Duration.ofSeconds(180));
        return node;
    }

    /** Starts a node without waiting for it (several nodes boot in parallel); see {@link #awaitHealthy}. */
    static AppProcess launch(String name, String jdbcUrl, List<String> settings) {
        try {
            Files.createDirectories(LOGS);
            int port = freePort();
            Path log = LOGS.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"),
                    PicturaApplication.class.getName(),
                    "--server.port=" + port,
                    "--spring.datasource.url=" + jdbcUrl,
                    "--spring.datasource.username=postgres",
                    "--spring.datasource.password=postgres"));
            command.addAll(settings);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new AppProcess(name, port, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void awaitHealthy(Duration within) {
        Http http = http();
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + "; see "
                            + log.toAbsolutePath());
                }
                try {
                    return http.get("/actuator/health", null).status() == 200;
                } catch (RuntimeException notYet) {
                    return false; // not listening yet
                }
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(name + " not healthy after " + within + "; see " + log.toAbsolutePath());
        }
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    Http http() {
        return new Http(port);
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** A crash: {@code SIGKILL}, then waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
