package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.pictura.api.provider.Tokens;
import com.pictura.domain.account.AccountCommand.SuspendAccount;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/** What must never happen: charges for undelivered output, overdrafts, calls nobody can pay for. */
class V1FailureTest extends GatewayTestBase {

    static final String MODEL = "llama-3.1-8b-instruct";
    static final String BIG = "llama-3.3-70b-instruct";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aRequestWhoseWorstCaseCannotBeCoveredIs402BeforeAnyProviderCall() {
        Client client = client("poor");
        setAvailable(client, Credits.parse("0.001"));
        long callsBefore = simulator.calls();

        var response = http.post("/v1/chat/completions", client.key(), chatBody(BIG, "Write an essay.", 1000));

        assertThat(response.status()).as(response.body()).isEqualTo(402);
        JsonNode error = response.json().get("error");
        assertThat(error.get("code").asString()).isEqualTo("insufficient_credits");
        assertThat(error.get("type").asString()).isEqualTo("insufficient_quota");
        int input = Tokens.prompt(JSON.valueToTree(List.of(Map.of("role", "user", "content", "Write an essay."))));
        long affordable = Pricing.affordableOutputTokens(Credits.parse("0.001"), input, chatPrice(BIG));
        assertThat(error.get("message").asString())
                .contains(Pricing.chatWorstCase(input, 1000, chatPrice(BIG)).toString())
                .contains("0.001000 are available")
                .contains("At most " + affordable + " output tokens");
        assertThat(response.header("x-pictura-credits-remaining")).isEqualTo("0.001000");
        assertThat(simulator.calls()).isEqualTo(callsBefore);
        assertThat(available(client)).isEqualTo(Credits.parse("0.001"));
    }

    @Test
    void anUpstreamErrorIs502AndReleasesTheHold() {
        Client client = client("upstream-error");
        var response = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "Hi #sim:error=503", 32));
        assertThat(response.status()).as(response.body()).isEqualTo(502);
        assertThat(response.json().get("error").get("code").asString()).isEqualTo("upstream_error");
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "release");
        awaitBalance(client, Credits.of(25));
    }

    @Test
    void anUpstreamTimeoutIs504AndReleasesTheHold() {
        Client client = client("upstream-timeout");
        var response = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "Hi #sim:hang", 32));
        assertThat(response.status()).as(response.body()).isEqualTo(504);
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "release");
        awaitBalance(client, Credits.of(25));
    }

    @Test
    void aStreamThatFailsBeforeAnyOutputIs502AndChargedNothing() {
        Client client = client("stream-error");
        Map<String, Object> request = new HashMap<>(chatBody(MODEL, "Hi #sim:error=500", 32));
        request.put("stream", true);
        var response = http.post("/v1/chat/completions", client.key(), request);
        assertThat(response.status()).as(response.body()).isEqualTo(502);
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "release");
        awaitBalance(client, Credits.of(25));
    }

    @Test
    void aStreamTheProviderDropsIsChargedOnlyForTheTokensDelivered() {
        Client client = client("stream-drop");
        Map<String, Object> request = new HashMap<>(chatBody(MODEL, "Tell a story #sim:drop=5 #sim:len=30", 64));
        request.put("stream", true);
        var response = http.post("/v1/chat/completions", client.key(), request);
        assertThat(response.status()).isEqualTo(200);
        List<String> events = V1ChatTest.events(response.body());
        assertThat(events).doesNotContain("[DONE]");
        assertThat(events.get(events.size() - 1)).contains("upstream_error");
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.contains("\"choices\"")).forEach(e -> JSON.readTree(e).get("choices")
                .forEach(c -> text.append(c.path("delta").path("content").asString(""))));
        assertThat(Tokens.count(text)).isEqualTo(5);
        int input = Tokens.exactPrompt(JSON.valueToTree(request.get("messages")));
        Credits cost = Pricing.chat(input, 5, chatPrice(MODEL));
        awaitBalance(client, Credits.of(25).minus(cost));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
    }

    @Test
    void aClientThatDisconnectsMidStreamIsChargedExactlyTheTokensItReceived() throws Exception {
        Client client = client("disconnect");
        Map<String, Object> request = new HashMap<>(chatBody(MODEL, "A long story #sim:len=40 #sim:delay=400", 64));
        request.put("stream", true);
        int received = 0;
        try (Socket socket = sendRaw(client, request)) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            // Read three tokens, then whatever else has already arrived (a slow test thread may lag the stream),
            // so what is counted is exactly what the server managed to deliver before the reset.
            while ((received < 3 || in.ready()) && (line = in.readLine()) != null) {
                if (line.startsWith("data: ") && line.contains("\"content\"")) {
                    String content = JSON.readTree(line.substring(6)).get("choices").get(0).path("delta")
                            .path("content").asString("");
                    received += Tokens.count(content);
                }
            }
            socket.setSoLinger(true, 0); // reset, so the very next write fails
        }
        assertThat(received).isBetween(3, 39);
        int input = Tokens.exactPrompt(JSON.valueToTree(request.get("messages")));
        Credits cost = Pricing.chat(input, 3, chatPrice(MODEL));
        awaitBalance(client, Credits.of(25).minus(cost));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
    }

    @Test
    void fiftyConcurrentRequestsOnAWalletThatAffordsTwentyGiveExactlyTwentySuccesses() {
        Client client = client("concurrent");
        String prompt = "Count to ten #sim:len=2000";
        int maxTokens = 1000; // the answer always uses all of it
        JsonNode messages = JSON.valueToTree(List.of(Map.of("role", "user", "content", prompt)));
        Credits each = Pricing.chatWorstCase(Tokens.prompt(messages), maxTokens, chatPrice(BIG)); // held
        Credits charge = Pricing.chat(Tokens.exactPrompt(messages), maxTokens, chatPrice(BIG)); // the usage: less
        Credits margins = each.minus(charge).times(20);
        // Twenty holds, and no twenty-first even once the twenty have settled and given their margins back.
        setAvailable(client, each.times(21).minus(margins).minus(Credits.ofMicros(1)));

        HttpClient httpClient = HttpClient.newHttpClient();
        byte[] body = JSON.writeValueAsBytes(chatBody(BIG, prompt, maxTokens));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(httpClient.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + client.key()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Integer> statuses = new HashMap<>();
        calls.forEach(call -> statuses.merge(call.join().statusCode(), 1, Integer::sum));

        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(200, 20, 402, 30));
        awaitBalance(client, each.minus(Credits.ofMicros(1)));
        assertThat(ledger(client, 42)).filteredOn("charge"::equals).hasSize(20); // grant, adjustment, 20 × (hold, charge)
        List<Long> availableAfter = jdbc.sql("select promotional_after + paid_after from ledger_lines where wallet_id = ?")
                .param(client.walletId()).query(Long.class).list();
        assertThat(availableAfter).allMatch(a -> a >= 0);
    }

    @Test
    void unknownAndRevokedKeysAre401() {
        var unknown = http.post("/v1/chat/completions", "pk_doesnotexist", chatBody(MODEL, "Hi", 8));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().get("error").get("type").asString()).isEqualTo("authentication_error");
        assertThat(http.get("/v1/models", null).status()).isEqualTo(401);

        Client client = client("revoked");
        assertThat(http.get("/v1/models", client.key()).status()).isEqualTo(200);
        String keyId = http.get("/api/keys", client.session()).json().get(0).get("id").asString();
        assertThat(http.delete("/api/keys/" + keyId, client.session()).status()).isEqualTo(204);
        var revoked = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "Hi", 8));
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().get("error").get("message").asString()).contains("revoked");
    }

    @Test
    void aSuspendedAccountIs403() {
        Client client = client("suspended");
        commands.sendAndWait(new SuspendAccount(new AccountId(client.accountId()), "abuse report", Actor.staff("acct_x")));
        var response = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "Hi", 8));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("error").get("code").asString()).isEqualTo("account_suspended");
    }

    @Test
    void invalidRequestsAre400WithTheParameterNamed() {
        Client client = client("invalid");
        var noMessages = http.post("/v1/chat/completions", client.key(), Map.of("model", MODEL));
        assertThat(noMessages.status()).isEqualTo(400);
        assertThat(noMessages.json().get("error").get("param").asString()).isEqualTo("messages");
        var badTemperature = http.post("/v1/chat/completions", client.key(),
                Map.of("model", MODEL, "temperature", 7, "messages", List.of(Map.of("role", "user", "content", "x"))));
        assertThat(badTemperature.json().get("error").get("param").asString()).isEqualTo("temperature");
        // An unknown field is dropped, not refused: V1ChatToolsTest.unknownFieldsAreDroppedAndNamedNotRefused.
        var unknownModel = http.post("/v1/chat/completions", client.key(), chatBody("gpt-99", "x", 8));
        assertThat(unknownModel.status()).isEqualTo(404);
        assertThat(unknownModel.json().get("error").get("code").asString()).isEqualTo("model_not_found");
        var notJson = http.post("/v1/chat/completions", client.key(), "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        ArrayNode many = JSON.createArrayNode();
        String big = "x".repeat(1000);
        for (int i = 0; i < 1100; i++) {
            many.addObject().put("role", "user").put("content", big);
        }
        var tooLarge = http.post("/v1/chat/completions", client.key(),
                JSON.writeValueAsString(Map.of("model", MODEL, "messages", many)));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("error").get("code").asString()).isEqualTo("request_too_large");
        assertThat(tooLarge.header("x-request-id")).isNotBlank();
        awaitBalance(client, Credits.of(25));
        assertThat(ledger(client, 1)).containsExactly("grant");
    }
}
