package com.pictura.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.pictura.api.Http;
import com.pictura.api.IntegrationTest;
import com.pictura.api.catalog.Catalog;
import com.pictura.api.provider.Tokens;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.inference.Pricing.ChatPrice;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A seeded mix of calls, each asking the simulator for one fault, all at once: errors the provider or the client
 * caused, rate limits, hangs, first bytes within and past the timeouts, streams cut off and streams
 * broken mid-chunk, whole answers that are not JSON, answers without usage. Whatever happened, the charge is what
 * the client received (the exact prompt and the tokens delivered) or nothing, and no hold is left open. Each fault
 * has its own account, so the ledger audit checks the charges fault by fault.
 */
class ProviderFaultsTest extends IntegrationTest {

    private static final String MODEL = "llama-3.1-8b-instruct";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long SEED = Long.getLong("pictura.reliability.seed", 42);
    private static final int REQUESTS = Integer.getInteger("pictura.reliability.requests", 200);

    /** A fault, the prompt that asks for it, and the status the client must see. */
    enum Fault {
        NONE("", 200, null),
        NO_USAGE("#sim:nousage", 200, null),
        SLOW_WITHIN_TIMEOUT("#sim:slow=200", 200, null),
        PROVIDER_ERROR("#sim:error=503", 502, null),
        CLIENT_ERROR("#sim:error=400", 400, null),
        RATE_LIMITED("#sim:error=429", 429, null),
        HANG("#sim:hang", 504, null),
        /** A stream's first byte later than the first-byte timeout (1 s in tests). */
        SLOW_FIRST_BYTE("#sim:slow=2500", 504, true),
        /** A whole answer's first byte is its last: only the total timeout (4 s in tests) bounds it. */
        SLOW_WHOLE_ANSWER("#sim:slow=2500", 200, false),
        PAST_TOTAL_TIMEOUT("#sim:slow=4500", 504, false),
        DROPPED_MID_STREAM("#sim:drop=%d", 200, true),
        MALFORMED_STREAM("#sim:malformed=%d", 200, true),
        MALFORMED_ANSWER("#sim:malformed", 502, false);

        final String directive;
        final int status;
        /** Only streamed (true), only whole (false), or either (null). */
        final Boolean streamed;

        Fault(String directive, int status, Boolean streamed) {
            this.directive = directive;
            this.status = status;
            this.streamed = streamed;
        }
    }

    record Call(Fault fault, boolean streamed, Map<String, Object> request) {
    }

    /** What a call's client saw, and what it must therefore have been charged. */
    record Outcome(Call call, int status, String retryAfter, Credits owed, Credits reportedCost) {
    }

    @Autowired
    Catalog catalog;

    @Test
    void everyFaultEndsInTheRightChargeOrNoneAndNoHoldIsLeft() throws Exception {
        ChatPrice price = catalog.find(MODEL).orElseThrow().priceAt(java.time.Instant.now()).chat();
        Map<Fault, String> keys = new EnumMap<>(Fault.class);
        Map<Fault, String> wallets = new EnumMap<>(Fault.class);
        for (Fault fault : Fault.values()) {
            Person person = signUp("faults-" + fault.name().toLowerCase());
            var key = http.post("/api/keys", person.session(), Map.of("name", fault.name()));
            assertThat(key.status()).as(key.body()).isEqualTo(201);
            keys.put(fault, key.json().get("key").asString());
            wallets.put(fault, WalletId.of(new AccountId(person.accountId())).value());
        }

        Random random = new Random(SEED);
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
            boolean streamed = fault.streamed != null ? fault.streamed : random.nextBoolean();
            int length = 8 + random.nextInt(24);
            String prompt = "Call " + i + " of the faults run. #sim:len=" + length + " "
                    + fault.directive.formatted(random.nextInt(length));
            Map<String, Object> request = new HashMap<>(Map.of("model", MODEL, "max_tokens", 64,
                    "messages", List.of(Map.of("role", "user", "content", prompt))));
            if (streamed) {
                request.put("stream", true);
                request.put("stream_options", Map.of("include_usage", true));
            }
            calls.add(new Call(fault, streamed, request));
        }

        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<Outcome>> running = new ArrayList<>();
        for (Call call : calls) {
            running.add(clients.submit(() -> send(call, keys.get(call.fault()), price)));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> outcome : running) {
            outcomes.add(outcome.get());
        }
        clients.shutdown();

        Map<String, Integer> statuses = new TreeMap<>();
        for (Outcome outcome : outcomes) {
            Call call = outcome.call();
            statuses.merge(call.fault() + "/" + outcome.status(), 1, Integer::sum);
            assertThat(outcome.status()).as("%s %s", call.fault(), call.request()).isEqualTo(call.fault().status);
            if (outcome.status() == 429) {
                assertThat(outcome.retryAfter()).as("Retry-After of a rate-limited call").isNotBlank();
            }
            if (outcome.reportedCost() != null) {
                assertThat(outcome.reportedCost()).as("the cost the answer reports, %s", call.fault())
                        .isEqualTo(outcome.owed());
            }
        }

        LedgerAudit ledger = new LedgerAudit(jdbc);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(ledger.audit(wallets.values()).mismatches()).isEmpty());
        LedgerAudit.Report report = ledger.audit(wallets.values());
        assertThat(report.open()).as("holds left open").isEmpty();
        assertThat(report.settledTwice()).as("holds settled twice").isEmpty();
        for (Fault fault : Fault.values()) {
            Credits owed = outcomes.stream().filter(o -> o.call().fault() == fault).map(Outcome::owed)
                    .reduce(Credits.ZERO, Credits::plus);
            LedgerAudit.Report one = ledger.audit(List.of(wallets.get(fault)));
            assertThat(one.totalCharged()).as("charged for %s", fault).isEqualTo(owed);
            if (fault.status != 200) {
                assertThat(one.charged()).as("calls charged for %s", fault).isZero();
            }
        }
        Summary.write(report.summary("provider-faults", SEED, REQUESTS) + " faults=" + statuses);
    }

    /** Sends one call and works out from what came back what it must cost: the prompt and what was delivered. */
    private Outcome send(Call call, String key, ChatPrice price) {
        Http.Response response = http.post("/v1/chat/completions", key, call.request());
        if (response.status() != 200) {
            return new Outcome(call, response.status(), response.header("Retry-After"), Credits.ZERO, null);
        }
        StringBuilder delivered = new StringBuilder();
        Credits reported = null;
        if (call.streamed()) {
            for (String block : response.body().split("\n\n")) {
                if (!block.startsWith("data: ") || block.startsWith("data: [DONE]")) {
                    continue;
                }
                JsonNode chunk = JSON.readTree(block.substring(6));
                chunk.path("choices").forEach(c -> delivered.append(c.path("delta").path("content").asString("")));
                if (chunk.path("usage").has("cost")) {
                    reported = Credits.parse(chunk.path("usage").path("cost").decimalValue().toPlainString());
                }
            }
        } else {
            JsonNode body = response.json();
            delivered.append(body.path("choices").path(0).path("message").path("content").asString(""));
            reported = Credits.parse(body.path("usage").path("cost").decimalValue().toPlainString());
        }
        int prompt = Tokens.exactPrompt(JSON.valueToTree(call.request().get("messages")));
        return new Outcome(call, 200, null, Pricing.chat(prompt, Tokens.count(delivered), price), reported);
    }
}
