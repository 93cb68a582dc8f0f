package com.pictura.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

import com.pictura.api.Http;
import com.pictura.api.Mailbox;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.wallet.WalletId;

/**
 * Seeded load for the reliability tests: accounts with keys, then many concurrent chat calls, streamed or not,
 * each long enough (simulated tokens with a delay between them) to be in flight when a node dies.
 */
final class Load {

    static final String MODEL = "llama-3.3-70b-instruct";

    /** An account with an API key, and its wallet. */
    record Account(String walletId, String key, String session) {
    }

    static final String PASSWORD = "correct horse battery staple";
    static final String PROMPT = "Tell a long story.";

    /** What must never be found at rest: the accounts' key secrets and session tokens, the password, the prompt. */
    static List<String> secrets(List<Account> accounts) {
        List<String> secrets = new ArrayList<>(List.of(PASSWORD, PROMPT));
        accounts.forEach(a -> secrets.addAll(List.of(a.key(), a.session())));
        return secrets;
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newCachedThreadPool()).build();
    private final Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    private final Random random;

    Load(long seed) {
        this.random = new Random(seed);
    }

    /** The session of the first admin (every staff role, from the test configuration), signed up on {@code node}. */
    static String firstAdmin(Http node) {
        String admin = "first-admin@pictura.test";
        node.post("/api/accounts", null, Map.of("email", admin, "password", PASSWORD, "ageConfirmed", true,
                "termsAccepted", true));
        var session = node.post("/api/session", null, Map.of("email", admin, "password", PASSWORD));
        assertThat(session.status()).as(session.body()).isEqualTo(200);
        return session.json().get("token").asString();
    }

    /** {@code count} new accounts (25 free credits each), signed up on {@code node}. */
    static List<Account> accounts(Http node, int count) {
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String email = "reliability-" + UUID.randomUUID() + "@example.com";
            String password = PASSWORD;
            var created = node.post("/api/accounts", null,
                    Map.of("email", email, "password", password, "ageConfirmed", true, "termsAccepted", true));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            var session = node.post("/api/session", null, Map.of("email", email, "password", password));
            assertThat(session.status()).as(session.body()).isEqualTo(200);
            Mailbox.verifyEmail(node, session.json().get("token").asString());
            var key = node.post("/api/keys", session.json().get("token").asString(), Map.of("name", "reliability"));
            assertThat(key.status()).as(key.body()).isEqualTo(201);
            accounts.add(new Account(WalletId.of(new AccountId(created.json().get("id").asString())).value(),
                    key.json().get("key").asString(), session.json().get("token").asString()));
        }
        return accounts;
    }

    /**
     * Sends {@code requests} calls at once, spread over the accounts and the nodes' ports, each streamed or not
     * and {@code tokens} long as the seed decides. Completes when every call has an answer or a broken connection.
     */
    CompletableFuture<Void> fire(int requests, List<Account> accounts, IntFunction<Integer> portOfCall, int tokens) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            Account account = accounts.get(i % accounts.size());
            boolean stream = random.nextBoolean();
            int length = tokens / 2 + random.nextInt(tokens);
            String body = Http.json(Map.of("model", MODEL, "max_tokens", 2000, "stream", stream,
                    "messages", List.of(Map.of("role", "user",
                            "content", PROMPT + " #sim:len=" + length + " #sim:delay=40"))));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portOfCall.apply(i)
                            + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(90))
                    .header("Authorization", "Bearer " + account.key()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            String kind = stream ? "stream " : "plain ";
            calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> {
                        String outcome = failure != null ? "connection lost"
                                : response.statusCode() == 200 && stream && !response.body().contains("[DONE]")
                                ? "200 cut" : String.valueOf(response.statusCode());
                        outcomes.merge(kind + outcome, 1, Integer::sum);
                        return null;
                    }));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    /** How the calls ended: "stream 200", "plain connection lost", ... and how many of each. */
    Map<String, Integer> outcomes() {
        return new TreeMap<>(outcomes);
    }

    int served() {
        return outcomes.entrySet().stream().filter(e -> e.getKey().endsWith(" 200")).mapToInt(Map.Entry::getValue)
                .sum();
    }

    long randomDelayMillis(int from, int to) {
        return from + random.nextInt(to - from);
    }
}
