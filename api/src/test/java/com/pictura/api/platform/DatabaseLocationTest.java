package com.pictura.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;

import com.pictura.PicturaApplication;
import com.pictura.api.Http;
import com.pictura.api.database.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Where the data lives: the embedded default keeps it in a directory across restarts of the application and of
 * PostgreSQL itself, and the documented environment variables point the application at any other PostgreSQL.
 */
class DatabaseLocationTest {

    @TempDir
    Path temp;

    @Test
    void embeddedDatabaseKeepsEventsAcrossAStopAndAStart() throws Exception {
        Path dataDir = temp.resolve("pg-data");
        Map<String, Object> env = Map.of("PICTURA_EMBEDDED_POSTGRES_DATA_DIR", dataDir.toString());

        String accountId;
        long events;
        try (var app = start(env)) {
            accountId = signUp(app, "survivor@example.com");
            events = countEvents(app);
        }
        EmbeddedPostgres.stop(dataDir);
        assertThat(Files.exists(dataDir.resolve("PG_VERSION"))).isTrue();

        try (var app = start(env)) {
            assertThat(countEvents(app)).isEqualTo(events);
            var http = http(app);
            var session = http.post("/api/session", null,
                    Map.of("email", "survivor@example.com", "password", "correct horse battery staple"));
            assertThat(session.status()).isEqualTo(200);
            assertThat(session.json().get("accountId").asString()).isEqualTo(accountId);
        } finally {
            EmbeddedPostgres.stop(dataDir);
        }
    }

    @Test
    void springDatasourceVariablesPointTheApplicationAtAnotherPostgres() throws Exception {
        Path otherDir = temp.resolve("other-pg");
        String url = EmbeddedPostgres.jdbcUrl(otherDir, false);
        try {
            Map<String, Object> env = Map.of(
                    "SPRING_DATASOURCE_URL", url,
                    "SPRING_DATASOURCE_USERNAME", "postgres",
                    "SPRING_DATASOURCE_PASSWORD", "postgres",
                    // Would start a second embedded database if the variables above were ignored.
                    "PICTURA_EMBEDDED_POSTGRES_DATA_DIR", temp.resolve("must-not-be-used").toString(),
                    // A database of its own is not the embedded default: the simulators need an explicit yes.
                    "PICTURA_STRIPE_SIMULATOR_ALLOWED", "true",
                    "PICTURA_SIMULATOR_ALLOWED", "true",
                    "PICTURA_MAIL_OUTBOX_ALLOWED", "true");
            try (var app = start(env)) {
                String accountId = signUp(app, "elsewhere@example.com");

                try (var connection = DriverManager.getConnection(url, "postgres", "postgres");
                     var statement = connection.prepareStatement(
                             "select count(*) from domain_event_entry where aggregate_identifier = ?")) {
                    statement.setString(1, accountId);
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        // Registered, and the terms accepted.
                        assertThat(rows.getLong(1)).isEqualTo(2L);
                    }
                }
            }
            assertThat(temp.resolve("must-not-be-used")).doesNotExist();
        } finally {
            EmbeddedPostgres.stop(otherDir);
        }
    }

    /** Starts the application with {@code variables} as its environment variables (on top of the real ones). */
    private static ConfigurableApplicationContext start(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-variables", variables));
        // Command-line arguments: they outrank application.yml (default properties would not).
        return new SpringApplicationBuilder(PicturaApplication.class)
                .environment(environment)
                .run("--server.port=0", "--pictura.embedded-postgres.durable=false",
                        "--pictura.security.bcrypt-strength=4", "--spring.main.banner-mode=off");
    }

    private static Http http(ConfigurableApplicationContext app) {
        return new Http(((WebServerApplicationContext) app).getWebServer().getPort());
    }

    private static String signUp(ConfigurableApplicationContext app, String email) {
        var created = http(app).post("/api/accounts", null,
                Map.of("email", email, "password", "correct horse battery staple", "ageConfirmed", true, "termsAccepted", true));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static long countEvents(ConfigurableApplicationContext app) {
        return app.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
                .sql("select count(*) from domain_event_entry").query(Long.class).single();
    }
}
