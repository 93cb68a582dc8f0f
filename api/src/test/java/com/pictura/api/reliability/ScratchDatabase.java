package com.pictura.api.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import com.pictura.api.database.EmbeddedPostgres;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A fresh, empty database on the test JVM's embedded PostgreSQL, for application processes started by a test:
 * the server lives in the test JVM, so it outlives any node the test kills, and nothing the other tests' shared
 * context does (its event processors, its hold sweeper) touches the nodes' ledger.
 */
record ScratchDatabase(String jdbcUrl, JdbcClient jdbc) {

    /** The database server's port, for a relay in front of it. */
    int port() {
        return java.net.URI.create(jdbcUrl.substring("jdbc:".length())).getPort();
    }

    /** The same database reached through another port on loopback. */
    String jdbcUrlThrough(int port) {
        return jdbcUrl.replaceFirst(":" + port() + "/", ":" + port + "/");
    }

    static ScratchDatabase create(String prefix) {
        String server = EmbeddedPostgres.jdbcUrl(EmbeddedPostgres.TEMPORARY, false);
        String name = prefix + "_" + Long.toString(System.nanoTime(), 36);
        try (Connection admin = DriverManager.getConnection(server, "postgres", "postgres")) {
            admin.createStatement().execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + name, e);
        }
        String url = server.replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url, "postgres", "postgres");
        return new ScratchDatabase(url, JdbcClient.create(dataSource));
    }
}
