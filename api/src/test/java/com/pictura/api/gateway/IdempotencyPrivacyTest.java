package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.pictura.api.Http;
import com.pictura.api.platform.Housekeeping;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Terms §8: outputs are not kept beyond what the request needs. A result kept for an {@code Idempotency-Key}
 * replay is encrypted at rest, replays exactly, and is gone once its window has passed; so is an image link.
 */
class IdempotencyPrivacyTest extends GatewayTestBase {

    private static final String CHAT = "llama-3.1-8b-instruct";

    @Autowired
    private Housekeeping housekeeping;

    private Http.Response post(Client client, String path, Map<String, Object> body, String key) {
        return http.postRaw(path, "application/json", Http.json(body), "Authorization", "Bearer " + client.key(),
                "Idempotency-Key", key);
    }

    private byte[] storedBody(Client client, String key) {
        return jdbc.sql("""
                select r.body from idempotency_records r join api_keys k on k.key_id = r.key_id
                where k.account_id = ? and r.idempotency_key = ?""")
                .params(client.accountId(), key).query((rs, n) -> rs.getBytes(1)).single();
    }

    @Test
    void aKeptChatAnswerIsEncryptedAtRestAndReplaysExactly() {
        Client client = client("private-chat");

        var first = post(client, "/v1/chat/completions", chatBody(CHAT, "Describe the sea.", 24), "chat-1");
        String answer = first.json().at("/choices/0/message/content").asString();
        byte[] stored = storedBody(client, "chat-1");
        var replay = post(client, "/v1/chat/completions", chatBody(CHAT, "Describe the sea.", 24), "chat-1");

        assertThat(first.status()).isEqualTo(200);
        assertThat(answer).isNotBlank();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(answer)
                .doesNotContain("choices").doesNotContain("usage");
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.body()).isEqualTo(first.body());
    }

    @Test
    void aKeptImageIsEncryptedAtRestToo() {
        Client client = client("private-image");

        var first = post(client, "/v1/images/generations", Map.of("model", "flux-schnell", "prompt", "a lighthouse",
                "size", "256x256", "response_format", "b64_json"), "image-1");
        byte[] stored = storedBody(client, "image-1");

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        String b64 = first.json().at("/data/0/b64_json").asString();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("iVBOR")
                .doesNotContain(b64.substring(100, 160));
    }

    @Test
    void aResultMovedToAnotherRowOrTamperedWithIsNotReplayedNorRunAgain() {
        Client client = client("tampered");
        post(client, "/v1/chat/completions", chatBody(CHAT, "One.", 8), "t-1");
        post(client, "/v1/chat/completions", chatBody(CHAT, "Two.", 8), "t-2");
        long calls = simulator.calls();
        // t-2's ciphertext under t-1's row: bound to its own row, it does not decrypt there.
        jdbc.sql("""
                update idempotency_records set body = (select body from idempotency_records r2
                   where r2.key_id = idempotency_records.key_id and r2.idempotency_key = 't-2'),
                   request_hash = request_hash
                where idempotency_key = 't-1' and key_id in (select key_id from api_keys where account_id = ?)""")
                .param(client.accountId()).update();

        var replay = post(client, "/v1/chat/completions", chatBody(CHAT, "One.", 8), "t-1");

        assertThat(replay.status()).isEqualTo(409);
        assertThat(replay.json().at("/error/code").asString()).isEqualTo("idempotency_replay_unavailable");
        assertThat(simulator.calls()).isEqualTo(calls);
    }

    @Test
    void nothingOutlivesItsWindow() {
        Client client = client("expiring");
        post(client, "/v1/chat/completions", chatBody(CHAT, "Expire me.", 8), "gone-1");
        var image = post(client, "/v1/images/generations", Map.of("model", "flux-schnell", "prompt", "a kite",
                "size", "256x256", "response_format", "url"), "gone-2");
        String url = image.json().at("/data/0/url").asString();
        String imageId = url.substring(url.lastIndexOf('/') + 1).replace(".png", "");

        housekeeping.sweep();
        assertThat(rows(client)).isEqualTo(2); // within the window: kept
        // The window passes (the rows' expiry is what every reader and the sweeper go by).
        jdbc.sql("update idempotency_records set expires_at = now() - interval '1 second' "
                + "where key_id in (select key_id from api_keys where account_id = ?)").param(client.accountId()).update();
        jdbc.sql("update image_results set expires_at = now() - interval '1 second' where image_id = ?")
                .param(imageId).update();
        var link = http.get(url.substring(url.indexOf("/v1/")), null);
        housekeeping.sweep();

        assertThat(link.status()).isEqualTo(404);
        assertThat(rows(client)).isZero();
        assertThat(jdbc.sql("select count(*) from image_results where image_id = ?").param(imageId)
                .query(Long.class).single()).isZero();
    }

    private long rows(Client client) {
        return jdbc.sql("select count(*) from idempotency_records where key_id in "
                + "(select key_id from api_keys where account_id = ?)").param(client.accountId()).query(Long.class).single();
    }
}
