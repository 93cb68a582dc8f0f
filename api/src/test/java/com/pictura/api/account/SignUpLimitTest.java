package com.pictura.api.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import com.pictura.api.Http;
import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * Free-credit abuse: at most 3 sign-ups (the test configuration's limit) per client address and window, counted in
 * PostgreSQL. The calls come from other loopback addresses than the exempt 127.0.0.1, bound on the client socket,
 * so the server sees each as a different client.
 */
class SignUpLimitTest extends IntegrationTest {

    private record Answer(int status, String headers, String body) {
    }

    @Test
    void theFourthSignUpFromOneAddressInTheWindowIsRefused429AndWritesNothing() {
        String address = freshAddress();
        for (int i = 0; i < 3; i++) {
            assertThat(signUpFrom(address, uniqueEmail("abuser")).status()).isEqualTo(201);
        }
        String fourth = uniqueEmail("abuser");

        Answer refused = signUpFrom(address, fourth);

        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertThat(refused.body()).contains("\"code\":\"too_many_signups\"");
        assertThat(refused.headers()).containsPattern("(?i)retry-after: [1-9][0-9]*");
        assertThat(jdbc.sql("select count(*) from accounts where email = ?").param(fourth).query(Long.class).single())
                .as("no account written").isZero();
        assertThat(jdbc.sql("select count(*) from domain_event_entry where convert_from(payload, 'UTF8') like ?")
                .param("%" + fourth + "%").query(Long.class).single()).as("no event written").isZero();
        assertThat(signUpFrom(freshAddress(), fourth).status()).as("another address").isEqualTo(201);
    }

    @Test
    void concurrentSignUpsFromOneAddressCannotPassTheLimitTogether() {
        String address = freshAddress();
        List<CompletableFuture<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            attempts.add(CompletableFuture.supplyAsync(() -> signUpFrom(address, uniqueEmail("burst")).status()));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        attempts.forEach(a -> statuses.merge(a.join(), 1, Integer::sum));

        assertThat(statuses).isEqualTo(Map.of(201, 3, 429, 7));
    }

    @Test
    void aFailedSignUpDoesNotCountAgainstTheAddress() {
        String address = freshAddress();
        String taken = uniqueEmail("taken");
        assertThat(signUpFrom(address, taken).status()).isEqualTo(201);
        for (int i = 0; i < 3; i++) {
            assertThat(signUpFrom(address, taken).status()).as("email taken").isEqualTo(409);
        }
        assertThat(signUpFrom(address, uniqueEmail("second")).status()).isEqualTo(201);
        assertThat(signUpFrom(address, uniqueEmail("third")).status()).isEqualTo(201);
        assertThat(signUpFrom(address, uniqueEmail("fourth")).status()).isEqualTo(429);
    }

    /** A loopback address of its own for each test (127.0.0.2 to 127.0.255.254), so tests never share a count. */
    private static String freshAddress() {
        int n = ThreadLocalRandom.current().nextInt(2, 65_000);
        return "127.0." + (n / 254) + "." + (n % 254 + 1);
    }

    private Answer signUpFrom(String localAddress, String email) {
        byte[] body = Http.json(Map.of("email", email, "password", "correct horse battery staple",
                "ageConfirmed", true, "termsAccepted", true)).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = answer.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(answer.substring(9, 12)), answer.substring(0, headersEnd),
                    answer.substring(headersEnd + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
