package com.pictura.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.pictura.PicturaApplication;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Base of the tests that run the whole application: real HTTP on a random loopback port, the embedded
 * PostgreSQL shared by every test class of the JVM (one Spring context, cached between classes).
 */
@SpringBootTest(classes = PicturaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class IntegrationTest {

    private static final AtomicInteger PEOPLE = new AtomicInteger();
    /** {@code pictura.metrics.token} in the test configuration: what a Prometheus scrape would send. */
    protected static final String METRICS_TOKEN = "test-metrics-token";

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    protected Http http;

    @BeforeEach
    void http() {
        http = new Http(port);
    }

    /** A signed-up, signed-in person; {@link #signUp} also verified their email, as anyone issuing keys must. */
    public record Person(String accountId, String email, String password, String session) {
    }

    protected static String uniqueEmail(String name) {
        return name + "-" + PEOPLE.incrementAndGet() + "-" + System.nanoTime() + "@example.com";
    }

    protected Person signUp(String name) {
        Person person = signUpUnverified(name);
        Mailbox.verifyEmail(http, person.session());
        return person;
    }

    /** A signed-up, signed-in person who has not opened the verification link yet. */
    protected Person signUpUnverified(String name) {
        String email = uniqueEmail(name);
        String password = "correct horse battery staple";
        var created = http.post("/api/accounts", null, Mailbox.signUpBody(email, password));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var session = http.post("/api/session", null, Map.of("email", email, "password", password));
        assertThat(session.status()).as(session.body()).isEqualTo(200);
        return new Person(created.json().get("id").asString(), email, password, session.json().get("token").asString());
    }
}
