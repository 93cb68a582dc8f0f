package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.pictura.api.Http;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;

/**
 * How every call ends in exactly one settlement: at the provider's timeouts (never the servlet container's), for
 * empty and abandoned streams, with the Idempotency-Key given back whenever the answer is not final, and through a
 * database that refuses the charge for a while.
 *
 * <p>The test configuration gives the container a 2 s async timeout against the simulator's 4 s total timeout, as
 * Tomcat's 30 s stands against a real provider's 120 s.
 */
class V1SettlementTest extends GatewayTestBase {

    static final String MODEL = "llama-3.1-8b-instruct";

    @Test
    void aCallLongerThanTheContainersAsyncTimeoutIsAnsweredAndCharged() {
        Client client = client("slow");
        // 10 tokens at 300 ms: 3 s, past the container's 2 s, within the provider's 4 s.
        var response = http.post("/v1/chat/completions", client.key(),
                chatBody(MODEL, "Slowly #sim:len=10 #sim:delay=300", 32));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Credits cost = Pricing.chat(response.json().get("usage").get("prompt_tokens").asLong(), 10, chatPrice(MODEL));
        awaitBalance(client, Credits.of(25).minus(cost));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
    }

    @Test
    void aCallThatTimesOutAtTheProviderIsReleasedAndItsIdempotencyKeyEnds() {
        Client client = client("timeout-key");
        String body = Http.json(chatBody(MODEL, "Never answered #sim:hang", 32));
        String key = "idem-" + UUID.randomUUID();

        var first = withKey(client, key, body);
        assertThat(first.status()).as(first.body()).isEqualTo(504);
        // The retry runs again (another hold, another timeout) instead of being told "in progress".
        var retry = withKey(client, key, body);
        assertThat(retry.status()).as(retry.body()).isEqualTo(504);

        assertThat(ledger(client, 5)).containsExactly("grant", "reservation", "release", "reservation", "release");
        awaitBalance(client, Credits.of(25));
    }

    @Test
    void anEmptyAnswerPaysForItsPromptStreamedOrNot() {
        Client plain = client("empty-plain");
        Client streamed = client("empty-stream");
        Map<String, Object> request = new HashMap<>(chatBody(MODEL, "Say nothing at all #sim:len=0", 16));

        var answer = http.post("/v1/chat/completions", plain.key(), request);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        long prompt = answer.json().get("usage").get("prompt_tokens").asLong();
        assertThat(answer.json().get("usage").get("completion_tokens").asLong()).isZero();
        Credits promptOnly = Pricing.chat(prompt, 0, chatPrice(MODEL));
        assertThat(promptOnly.isPositive()).isTrue();

        request.put("stream", true);
        request.put("stream_options", Map.of("include_usage", true));
        var stream = http.post("/v1/chat/completions", streamed.key(), request);
        assertThat(stream.status()).as(stream.body()).isEqualTo(200);
        assertThat(V1ChatTest.events(stream.body())).contains("[DONE]");

        awaitBalance(plain, Credits.of(25).minus(promptOnly));
        awaitBalance(streamed, Credits.of(25).minus(promptOnly));
        assertThat(ledger(streamed, 3)).containsExactly("grant", "reservation", "charge");
    }

    @Test
    void aClientThatHangsUpBeforeTheFirstTokenPaysForThePromptTheProviderProcessed() throws Exception {
        Client client = client("hang-up");
        Map<String, Object> request = new HashMap<>(chatBody(MODEL, "A story #sim:len=20 #sim:delay=200", 64));
        request.put("stream", true);
        try (Socket socket = sendRaw(client, request)) {
            socket.setSoLinger(true, 0); // reset at once: not a byte of the answer is read
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge"));
        long charges = jdbc.sql("select count(*) from ledger_lines where wallet_id = ? and kind = 'charge'")
                .param(client.walletId()).query(Long.class).single();
        assertThat(charges).isEqualTo(1);
        // The balances read model is another processor than the ledger lines: wait for it too.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(reserved(client)).isEqualTo(Credits.ZERO);
            assertThat(available(client)).isLessThan(Credits.of(25)).isGreaterThan(Credits.ZERO); // ZERO: no row yet
        });
        Credits charged = Credits.of(25).minus(available(client));
        // The prompt, and at most the few tokens written before the reset was seen.
        assertThat(charged).isLessThan(Pricing.chatWorstCase(1_000, 3, chatPrice(MODEL)));
    }

    @Test
    void anInterruptedStreamIsNotKeptUnderItsIdempotencyKey() {
        Client client = client("interrupted-key");
        Map<String, Object> request = new HashMap<>(chatBody(MODEL, "Tell a story #sim:drop=3 #sim:len=30", 64));
        request.put("stream", true);
        String body = Http.json(request);
        String key = "idem-" + UUID.randomUUID();

        var first = withKey(client, key, body);
        assertThat(first.status()).isEqualTo(200);
        assertThat(V1ChatTest.events(first.body())).doesNotContain("[DONE]");
        var retry = withKey(client, key, body);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).isNull();
        assertThat(V1ChatTest.events(retry.body())).anyMatch(e -> e.contains("\"content\""));

        assertThat(ledger(client, 5)).containsExactly("grant", "reservation", "charge", "reservation", "charge");
    }

    @Test
    void aChargeTheDatabaseRefusesForAWhileIsRetriedUntilItLands() {
        Client client = client("db-blip");
        // The event store refuses this wallet's charge events until the fault is lifted.
        jdbc.sql("""
                create or replace function refuse_charges() returns trigger language plpgsql as $$
                begin
                  if new.aggregate_identifier = '%s' and new.payload_type like '%%UsageCharged' then
                    raise exception 'simulated outage';
                  end if;
                  return new;
                end $$""".formatted(client.walletId())).update();
        jdbc.sql("create trigger refuse_charges before insert on domain_event_entry for each row "
                + "execute function refuse_charges()").update();
        try {
            var response = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "Hello #sim:len=5", 16));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(ledger(client, 2)).containsExactly("grant", "reservation"));
        } finally {
            jdbc.sql("drop trigger refuse_charges on domain_event_entry").update();
        }
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(reserved(client)).isEqualTo(Credits.ZERO));
        List<Long> charges = jdbc.sql("select amount from ledger_lines where wallet_id = ? and kind = 'charge'")
                .param(client.walletId()).query(Long.class).list();
        assertThat(charges).hasSize(1);
    }

    private Http.Response withKey(Client client, String key, String body) {
        return http.postRaw("/v1/chat/completions", "application/json", body,
                "Authorization", "Bearer " + client.key(), Idempotency.HEADER, key);
    }
}
