package com.pictura.api.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;

/**
 * The embedded default: a real PostgreSQL 17 started from binaries on the classpath, one per JVM and data
 * directory.
 *
 * <p>Instances are kept statically so that they outlive Spring contexts: tests restart contexts against the same
 * database, and the process stops PostgreSQL only after every context has closed (Spring's shutdown handlers).
 */
public final class EmbeddedPostgres {

    /** Key of the throw-away instance whose data directory is deleted when it stops (tests). */
    public static final Path TEMPORARY = Path.of("");

    private static final Map<Path, io.zonky.test.db.postgres.embedded.EmbeddedPostgres> RUNNING = new HashMap<>();

    private EmbeddedPostgres() {
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory} (created and initialised when empty, reused otherwise), or
     * returns the JDBC URL of the instance this JVM already runs there. {@link #TEMPORARY} asks for an instance in
     * a fresh directory that is deleted when it stops.
     *
     * @param durable whether commits reach the disk before they are acknowledged; off is only for tests
     */
    public static synchronized String jdbcUrl(Path dataDirectory, boolean durable) {
        Path dir = key(dataDirectory);
        return RUNNING.computeIfAbsent(dir, d -> start(d, durable)).getJdbcUrl("postgres", "postgres");
    }

    /** Stops the instance on {@code dataDirectory}, if this JVM runs one; its data stays on disk. */
    public static synchronized void stop(Path dataDirectory) {
        var pg = RUNNING.remove(key(dataDirectory));
        if (pg != null) {
            close(pg);
        }
    }

    private static Path key(Path dataDirectory) {
        return dataDirectory.equals(TEMPORARY) ? TEMPORARY : dataDirectory.toAbsolutePath().normalize();
    }

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres start(Path dir, boolean durable) {
        try {
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder();
            if (dir != TEMPORARY) {
                Files.createDirectories(dir);
                builder.setDataDirectory(dir).setCleanDataDirectory(false);
            }
            var pg = builder
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off")
                    .setServerConfig("max_connections", "200")
                    .setRegisterShutdownHook(false)
                    .start();
            SpringApplication.getShutdownHandlers().add(() -> close(pg));
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dir, e);
        }
    }

    private static void close(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
