package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Prompts a letter-run tokenizer undercounts (CJK here) are held, limited and refused by what they really cost:
 * at least their BPE count, while the charge is the simulator's reported usage.
 */
class TokenEstimateTest extends GatewayTestBase {

    /** The largest context in the catalog: 131,072 tokens. */
    static final String MODEL = "llama-3.1-8b-instruct";
    static final String BIG = "llama-3.3-70b-instruct";

    @Test
    void aCjkPromptLongerThanTheContextIsRefusedBeforeAnyProviderCall() {
        Client client = client("cjk-context");
        String prompt = TokensTest.cjk(150_000, 10);
        assertThat(TokensTest.CL100K.countTokensOrdinary(prompt)).isGreaterThan(131_072);
        long callsBefore = simulator.calls();

        var response = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, prompt, 16));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode error = response.json().get("error");
        assertThat(error.get("code").asString()).isEqualTo("context_length_exceeded");
        assertThat(error.get("param").asString()).isEqualTo("messages");
        assertThat(simulator.calls()).isEqualTo(callsBefore);
        assertThat(ledger(client, 1)).containsExactly("grant");
    }

    @Test
    void aCjkPromptIsNotHeldForLessThanItsRealTokens() {
        Client client = client("cjk-poor");
        String prompt = TokensTest.cjk(3_000, 11);
        long real = TokensTest.CL100K.countTokensOrdinary(prompt) + TokensTest.FRAMING;
        Credits justShort = Pricing.chatWorstCase(real, 16, chatPrice(BIG)).minus(Credits.ofMicros(1));
        setAvailable(client, justShort);
        long callsBefore = simulator.calls();

        var response = http.post("/v1/chat/completions", client.key(), chatBody(BIG, prompt, 16));

        assertThat(response.status()).as(response.body()).isEqualTo(402);
        assertThat(response.json().get("error").get("code").asString()).isEqualTo("insufficient_credits");
        assertThat(simulator.calls()).isEqualTo(callsBefore);
        assertThat(available(client)).isEqualTo(justShort);
    }

    @Test
    void aCjkPromptIsHeldAboveItsRealTokensAndChargedTheSimulatorsUsage() {
        Client client = client("cjk-charge");
        String prompt = TokensTest.cjk(3_000, 12);
        long real = TokensTest.CL100K.countTokensOrdinary(prompt) + TokensTest.FRAMING;

        var response = http.post("/v1/chat/completions", client.key(), chatBody(BIG, prompt, 16));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode usage = response.json().get("usage");
        String content = response.json().get("choices").get(0).get("message").get("content").asString();
        assertThat(usage.get("prompt_tokens").asLong()).as("the simulator reports the real BPE count").isEqualTo(real);
        assertThat(usage.get("completion_tokens").asLong()).isEqualTo(TokensTest.CL100K.countTokensOrdinary(content));
        Credits cost = Pricing.chat(usage.get("prompt_tokens").asLong(), usage.get("completion_tokens").asLong(),
                chatPrice(BIG));
        assertThat(usage.get("cost").decimalValue()).isEqualByComparingTo(new BigDecimal(cost.toString()));

        awaitBalance(client, Credits.of(25).minus(cost));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
        Credits held = Credits.ofMicros(-jdbc.sql(
                "select amount from ledger_lines where wallet_id = ? and kind = 'reservation'")
                .param(client.walletId()).query(Long.class).single());
        assertThat(held).isGreaterThanOrEqualTo(Pricing.chatWorstCase(real, 16, chatPrice(BIG)));
        assertThat(held).as("the estimate's margin is held, not charged").isGreaterThan(cost);
    }

    @Test
    void theTokensPerMinuteLimitCountsTheRealTokens() {
        Client client = client("cjk-tpm");
        jdbc.sql("insert into account_rate_limits (account_id, requests_per_minute, tokens_per_minute) values (?, 100, 1000)")
                .param(client.accountId()).update();
        String prompt = TokensTest.cjk(1_000, 13);
        assertThat(TokensTest.CL100K.countTokensOrdinary(prompt)).isGreaterThan(1_000);
        long callsBefore = simulator.calls();

        var response = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, prompt, 16));

        assertThat(response.status()).as(response.body()).isEqualTo(429);
        assertThat(response.json().get("error").get("message").asString()).contains("tokens per minute");
        assertThat(simulator.calls()).isEqualTo(callsBefore);
        assertThat(ledger(client, 1)).containsExactly("grant");
    }
}
