package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;

/**
 * The vendor profile's catalog against fake Together AI and DeepInfra servers on loopback: a call moves to the
 * next upstream when one fails before any output reached the client, within one hold and one charge; once output
 * has started there is no fallback; a sick upstream is skipped until its cooldown has passed.
 */
class V1FallbackTest extends VendorTestBase {

    @Test
    void theFirstUpstreamFailingBeforeOutputMovesTheCallToTheSecondWithOneCharge() {
        Client client = client("fallback");
        awaitBalance(client, Credits.of(25));
        TOGETHER.failNext.set(1);
        int deepinfraBefore = DEEPINFRA.calls.get();

        var answer = http.post("/v1/chat/completions", client.key(), chatBody("llama-3.1-8b-instruct", "hi", 32));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("x-pictura-upstream")).isEqualTo("deepinfra");
        assertThat(answer.json().at("/choices/0/message/content").asString())
                .isEqualTo("answer from deepinfra for meta-llama/Meta-Llama-3.1-8B-Instruct");
        assertThat(DEEPINFRA.calls.get()).isEqualTo(deepinfraBefore + 1);
        Credits price = Pricing.chat(21, 6, chatPrice("llama-3.1-8b-instruct"));
        awaitBalance(client, Credits.of(25).minus(price));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select count(*) from domain_event_entry "
                        + "where aggregate_identifier = ? and payload_type like '%UsageCharged' "
                        + "and convert_from(meta_data, 'UTF8') like '%\"upstream\":\"deepinfra\"%'")
                .param(client.walletId()).query(Long.class).single() == 1);
    }

    @Test
    void aStreamThatBreaksAfterItsFirstChunkDoesNotFallBackAndPaysWhatWasDelivered() {
        Client client = client("nofallback");
        awaitBalance(client, Credits.of(25));
        TOGETHER.dropNext.set(1);
        int deepinfraBefore = DEEPINFRA.calls.get();
        Map<String, Object> body = new java.util.HashMap<>(chatBody("llama-3.3-70b-instruct", "hi", 32));
        body.put("stream", true);

        var answer = http.post("/v1/chat/completions", client.key(), body);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("x-pictura-upstream")).isEqualTo("together");
        assertThat(answer.body()).contains("\"content\":\"answer\"").contains("upstream_error")
                .doesNotContain("[DONE]");
        assertThat(DEEPINFRA.calls.get()).isEqualTo(deepinfraBefore);
        // The prompt (our exact count: the vendor's usage never came) and the one token delivered.
        awaitBalance(client, Credits.of(25).minus(Pricing.chat(
                com.pictura.api.provider.Tokens.exactPrompt(tools.jackson.databind.json.JsonMapper.builder().build()
                        .valueToTree(body.get("messages"))), 1, chatPrice("llama-3.3-70b-instruct"))));
    }

    @Test
    void aStreamFailingBeforeItsFirstChunkIsServedByTheNextUpstream() {
        Client client = client("streamfallback");
        awaitBalance(client, Credits.of(25));
        TOGETHER.failNext.set(1);
        Map<String, Object> body = new java.util.HashMap<>(chatBody("qwen-2.5-72b-instruct", "hi", 32));
        body.put("stream", true);

        var answer = http.post("/v1/chat/completions", client.key(), body);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("x-pictura-upstream")).isEqualTo("deepinfra");
        assertThat(answer.body()).contains("deepinfra").contains("[DONE]");
        awaitBalance(client, Credits.of(25).minus(Pricing.chat(21, 6, chatPrice("qwen-2.5-72b-instruct"))));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
    }

    @Test
    void aSickUpstreamIsSkippedUntilItsCooldownHasPassed() {
        Client client = client("health");
        TOGETHER.failNext.set(3);
        for (int i = 0; i < 3; i++) {
            var answer = http.post("/v1/chat/completions", client.key(), chatBody("qwen-2.5-7b-instruct", "hi", 8));
            assertThat(answer.header("x-pictura-upstream")).isEqualTo("deepinfra");
        }
        int togetherCalls = TOGETHER.calls.get();

        var whileSick = http.post("/v1/chat/completions", client.key(), chatBody("qwen-2.5-7b-instruct", "hi", 8));

        assertThat(whileSick.header("x-pictura-upstream")).isEqualTo("deepinfra");
        assertThat(TOGETHER.calls.get()).as("not tried while sick").isEqualTo(togetherCalls);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() ->
                "together".equals(http.post("/v1/chat/completions", client.key(),
                        chatBody("qwen-2.5-7b-instruct", "hi", 8)).header("x-pictura-upstream")));
    }
}
