package com.pictura.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.pictura.api.SentSecrets;
import com.pictura.api.database.EmbeddedPostgres;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * After every other test of the module (it is ordered last): no API key secret, session token, password, prompt
 * or output that the suite used is in any log the suite wrote, nor in any table of any database on the test
 * PostgreSQL (the shared context's, and those of the separate processes of the crash, scale-out and outage
 * tests), events included. docs/privacy.md lists where a prompt or output may exist and for how long: none of
 * those places holds one in plain text.
 */
@Order(Integer.MAX_VALUE)
class WholeSuiteSecretsTest {

    private static final List<Path> LOG_DIRECTORIES = List.of(Path.of("target", "test-logs"), Path.of("target", "reliability"));

    @Test
    void nothingTheSuiteSentOrReceivedIsAtRest() throws IOException {
        List<String> needles = new ArrayList<>(List.of(Load.PASSWORD, Load.PROMPT));
        SentSecrets.seen().values().forEach(needles::addAll);
        SecretsScan scan = new SecretsScan(needles);

        List<Path> logs = logs();
        assertThat(logs).as("log files").isNotEmpty();
        List<String> found = new ArrayList<>(scan.inLogs(logs));
        String server = EmbeddedPostgres.jdbcUrl(EmbeddedPostgres.TEMPORARY, false);
        List<String> databases = database(server, "postgres")
                .sql("select datname from pg_database where not datistemplate").query(String.class).list();
        for (String name : databases) {
            scan.inTables(database(server, name)).forEach(f -> found.add(name + ": " + f));
        }
        Summary.write("secrets-scan needles=" + needles.size() + " " + kinds() + " logs=" + logs.size()
                + " databases=" + databases.size() + " found=" + found.size());
        assertThat(found).as("secrets, prompts or outputs at rest").isEmpty();
    }

    private static String kinds() {
        StringBuilder kinds = new StringBuilder();
        SentSecrets.seen().forEach((kind, values) -> kinds.append(kind).append('s').append('=').append(values.size()).append(' '));
        return kinds.toString().strip();
    }

    private static List<Path> logs() throws IOException {
        List<Path> logs = new ArrayList<>();
        for (Path directory : LOG_DIRECTORIES) {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.list(directory)) {
                    files.filter(f -> f.toString().endsWith(".log")).forEach(logs::add);
                }
            }
        }
        return logs;
    }

    private static JdbcClient database(String server, String name) {
        String url = server.replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
        return JdbcClient.create(new DriverManagerDataSource(url, "postgres", "postgres"));
    }
}
