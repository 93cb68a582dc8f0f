package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.pictura.api.Http;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletCommand.AdjustCredits;
import com.pictura.domain.wallet.WalletId;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} over HTTP, as a client retries: a retry while the first is running, results that mean
 * "try again" (402, 429, 5xx), a stream's replay, and a key whose time is up.
 */
class V1IdempotencyTest extends GatewayTestBase {

    private static final String MODEL = "qwen-2.5-7b-instruct";

    @Test
    void aRetryWhileTheFirstIsStillRunningIs409ThenTheFirstResultIsReplayed() throws Exception {
        Client client = client("in-progress");
        String key = UUID.randomUUID().toString();
        Map<String, Object> slow = chatBody(MODEL, "Take your time. #sim:len=5 #sim:delay=400", 16);
        CompletableFuture<Http.Response> first = CompletableFuture.supplyAsync(() -> post(client, slow, key));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
                "in_progress".equals(state(key)));

        var retry = post(client, slow, key);

        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.json().at("/error/code").asString()).isEqualTo("idempotency_in_progress");
        Http.Response answered = first.get(30, TimeUnit.SECONDS);
        assertThat(answered.status()).isEqualTo(200);
        var replayed = post(client, slow, key);
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.body()).isEqualTo(answered.body());
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
    }

    @Test
    void a402IsNotKeptSoARetryAfterToppingUpRuns() {
        Client client = client("topped-up");
        setAvailable(client, Credits.ZERO);
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = chatBody(MODEL, "Name a colour.", 16);

        assertThat(post(client, body, key).status()).isEqualTo(402);
        commands.sendAndWait(new AdjustCredits(new WalletId(client.walletId()), "adj_" + UUID.randomUUID(),
                Credits.of(25), "top-up", "T-2", Actor.staff("acct_test")));
        awaitBalance(client, Credits.of(25));

        var retried = post(client, body, key);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
        assertThat(retried.json().at("/choices/0/message/content").asString()).isNotBlank();
    }

    @Test
    void a429IsNotKeptSoARetryUnderAHigherLimitRuns() {
        Client client = client("limited-retry");
        jdbc.sql("insert into account_rate_limits (account_id, requests_per_minute, tokens_per_minute) values (?, 1, 100000)")
                .param(client.accountId()).update();
        assertThat(http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "One.", 8)).status()).isEqualTo(200);
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = chatBody(MODEL, "Two.", 8);

        assertThat(post(client, body, key).status()).isEqualTo(429);
        jdbc.sql("update account_rate_limits set requests_per_minute = 100 where account_id = ?")
                .param(client.accountId()).update();

        var retried = post(client, body, key);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void anUpstreamFailureIsNotKeptSoTheRetryCallsTheModelAgain() {
        Client client = client("upstream-retry");
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = chatBody(MODEL, "Fail. #sim:error=503", 16);

        var first = post(client, body, key);
        var second = post(client, body, key);

        assertThat(first.status()).isEqualTo(502);
        assertThat(second.status()).isEqualTo(502);
        assertThat(second.header("Idempotent-Replayed")).isNull();
        // Two calls, each held and released: the retry really retried.
        assertThat(ledger(client, 5)).containsExactlyInAnyOrder("grant", "reservation", "release", "reservation",
                "release");
        awaitBalance(client, Credits.of(25));
    }

    @Test
    void aRetriedStreamIsReplayedAsItsStatusAndDoneAndChargedOnce() {
        Client client = client("stream-replay");
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = new HashMap<>(chatBody(MODEL, "Stream a greeting.", 16));
        body.put("stream", true);

        var first = post(client, body, key);
        var replayed = post(client, body, key);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).contains("\"delta\"").endsWith("data: [DONE]\n\n");
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.header("Content-Type")).startsWith("text/event-stream");
        assertThat(replayed.body()).isEqualTo(": replay of an idempotent streamed request; the stream went to the "
                + "first request\n\ndata: [DONE]\n\n");
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
    }

    @Test
    void aKeyPastItsTimeIsClaimedAgainAndTheCallMadeAgain() {
        Client client = client("expired-key");
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = chatBody(MODEL, "Name a colour.", 16);
        assertThat(post(client, body, key).status()).isEqualTo(200);
        assertThat(post(client, body, key).header("Idempotent-Replayed")).isEqualTo("true");

        // The 24 hours have passed (housekeeping may not have deleted the record yet).
        jdbc.sql("update idempotency_records set expires_at = now() - interval '1 second' where idempotency_key = ?")
                .param(key).update();
        var again = post(client, body, key);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isNull();
        assertThat(ledger(client, 5)).containsExactlyInAnyOrder("grant", "reservation", "charge", "reservation",
                "charge");
        assertThat(post(client, body, key).header("Idempotent-Replayed")).isEqualTo("true");
    }

    private String state(String idempotencyKey) {
        List<String> states = jdbc.sql("select state from idempotency_records where idempotency_key = ?")
                .param(idempotencyKey).query(String.class).list();
        return states.isEmpty() ? null : states.get(0);
    }

    private Http.Response post(Client client, Map<String, Object> body, String idempotencyKey) {
        return http.postRaw("/v1/chat/completions", "application/json", Http.json(body),
                "Authorization", "Bearer " + client.key(), "Idempotency-Key", idempotencyKey);
    }
}
