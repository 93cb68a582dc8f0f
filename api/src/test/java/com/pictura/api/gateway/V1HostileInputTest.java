package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.pictura.api.Http;
import com.pictura.api.RawHttp;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1} against a hostile or merely unusual client: a forged {@code Host}, its own request id, browser
 * preflights from allowed and other origins.
 */
class V1HostileInputTest extends GatewayTestBase {

    private static final String CHAT = "llama-3.1-8b-instruct";

    @Test
    void imageLinksAreBuiltFromTheConfiguredPublicUrlNotTheHostHeader() {
        Client client = client("host");
        byte[] body = Http.json(Map.of("model", "flux-schnell", "prompt", "a kite", "size", "256x256",
                "response_format", "url")).getBytes(StandardCharsets.UTF_8);

        var answer = RawHttp.send(port, "POST", "/v1/images/generations", body, "Host", "evil.example",
                "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https",
                "Authorization", "Bearer " + client.key(), "Content-Type", "application/json");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        String url = answer.json().at("/data/0/url").asString();
        assertThat(url).startsWith("http://127.0.0.1:" + port + "/v1/files/images/").doesNotContain("evil");
    }

    @Test
    void theClientsRequestIdIsTheOneInTheAnswerAndInTheLedgerEvents() {
        Client client = client("request-id");
        String requestId = "client-trace-" + System.nanoTime();

        var answer = http.postRaw("/v1/chat/completions", "application/json",
                Http.json(chatBody(CHAT, "Say hi.", 8)), "Authorization", "Bearer " + client.key(),
                "x-request-id", requestId);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("x-request-id")).isEqualTo(requestId);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.sql("""
                select count(*) from domain_event_entry
                where aggregate_identifier = ? and convert_from(meta_data, 'UTF8')::jsonb ->> 'requestId' = ?""")
                .params(client.walletId(), requestId).query(Long.class).single()).isGreaterThanOrEqualTo(1L));
        assertThat(jdbc.sql("""
                select distinct convert_from(meta_data, 'UTF8')::jsonb ->> 'requestId' from domain_event_entry
                where aggregate_identifier = ? and payload_type like '%CreditsReserved'""")
                .param(client.walletId()).query(String.class).list()).containsExactly(requestId);
    }

    @Test
    void anInsaneClientRequestIdIsReplacedByOneGeneratedIdEverywhere() {
        Client client = client("request-id-bad");

        var answer = RawHttp.send(port, "POST", "/v1/chat/completions",
                Http.json(chatBody(CHAT, "Say hi.", 8)).getBytes(StandardCharsets.UTF_8), "Content-Type",
                "application/json", "Authorization", "Bearer " + client.key(), "x-request-id", "a b<script>%0d%0a");

        String id = answer.header("x-request-id");
        assertThat(id).startsWith("req_");
        assertThat(jdbc.sql("""
                select distinct convert_from(meta_data, 'UTF8')::jsonb ->> 'requestId' from domain_event_entry
                where aggregate_identifier = ? and payload_type like '%CreditsReserved'""")
                .param(client.walletId()).query(String.class).list()).containsExactly(id);
    }

    @Test
    void aPreflightFromAnAllowedOriginGetsTheCorsHeadersWithoutAKey() {
        var preflight = RawHttp.send(port, "OPTIONS", "/v1/chat/completions", null,
                "Origin", "https://playground.example", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization, content-type, x-stainless-os");

        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://playground.example");
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(preflight.header("Access-Control-Allow-Headers").toLowerCase()).contains("authorization");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
    }

    @Test
    void anAllowedOriginsCallExposesTheGatewaysHeaders() {
        Client client = client("cors");

        var answer = RawHttp.send(port, "GET", "/v1/credits", null, "Origin", "https://playground.example",
                "Authorization", "Bearer " + client.key());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("https://playground.example");
        assertThat(answer.header("Access-Control-Expose-Headers")).contains("x-request-id");
    }

    @Test
    void aPreflightFromAnyOtherOriginIsA403InTheApiShapeNotA500() {
        for (String path : List.of("/v1/chat/completions", "/v1/images/generations", "/v1/models", "/v1/credits",
                "/v1/nothing")) {
            var preflight = RawHttp.send(port, "OPTIONS", path, null, "Origin", "https://evil.example",
                    "Access-Control-Request-Method", "POST");

            assertThat(preflight.status()).as(path).isEqualTo(403);
            assertThat(preflight.json().at("/error/code").asString()).isEqualTo("cors_origin_not_allowed");
            assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        }
    }

    @Test
    void aPlainOptionsRequestIsNoServerError() {
        var options = RawHttp.send(port, "OPTIONS", "/v1/chat/completions", null);

        assertThat(options.status()).isLessThan(500);
    }
}
