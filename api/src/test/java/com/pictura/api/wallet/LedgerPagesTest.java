package com.pictura.api.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.pictura.api.Http;
import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The ledger keyset-paged: walking the pages by their {@code next} gives every line once, newest first. */
class LedgerPagesTest extends IntegrationTest {

    @Test
    void walkingTheKeysetPagesGivesEveryLineOnceNewestFirst() {
        Person person = signUp("pages");
        String key = http.post("/api/keys", person.session(), Map.of("name", "k")).json().get("key").asString();
        for (int i = 0; i < 3; i++) {
            assertThat(http.post("/v1/images/generations", key, Http.json(Map.of("model", "flux-schnell",
                    "prompt", "a lighthouse", "size", "256x256"))).status()).isEqualTo(200);
        }
        // A grant, then a hold and a charge per call.
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/ledger?page=0&size=50", person.session())
                .json().get("total").asLong() == 7);

        List<Long> sequences = new ArrayList<>();
        String path = "/api/ledger?size=2";
        int pages = 0;
        while (path != null) {
            JsonNode page = http.get(path, person.session()).json();
            page.get("lines").forEach(line -> sequences.add(line.get("sequence").asLong()));
            pages++;
            path = page.get("next").isNull() ? null : "/api/ledger?size=2&before=" + page.get("next").asLong();
        }

        assertThat(sequences).hasSize(7).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(pages).isEqualTo(4);
        assertThat(http.get("/api/ledger?before=-1", person.session()).json().at("/error/param").asString())
                .isEqualTo("before");
    }
}
