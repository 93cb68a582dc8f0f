package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.pictura.api.provider.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The prompt estimate behind holds, the context check and the tokens-per-minute limit, against a real BPE count
 * (cl100k_base, counted here directly with jtokkit) of text that has no spaces to split on.
 */
class TokensTest {

    static final Encoding CL100K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** What an OpenAI-style upstream adds to the content's tokens: 3 per message, 3 to prime the reply. */
    static final int FRAMING = 3 + 3;

    @Test
    void aCjkPromptIsEstimatedAtLeastAtItsBpeCount() {
        String text = cjk(30_000, 1);
        assertThat(Tokens.prompt(user(text))).isGreaterThanOrEqualTo(CL100K.countTokensOrdinary(text) + FRAMING);
    }

    @Test
    void aBase64PromptIsEstimatedAtLeastAtItsBpeCount() {
        byte[] bytes = new byte[30_000];
        new Random(2).nextBytes(bytes);
        String text = Base64.getEncoder().encodeToString(bytes);
        assertThat(Tokens.prompt(user(text))).isGreaterThanOrEqualTo(CL100K.countTokensOrdinary(text) + FRAMING);
    }

    @Test
    void aCodePromptIsEstimatedAtLeastAtItsBpeCount() {
        String text = ("for(int i=0;i<n;i++){acc+=xs[i]*ys[i];}if(acc>max){max=acc;best=i;}"
                + "map.computeIfAbsent(k,x->new ArrayList<>()).add(v);\n").repeat(300);
        assertThat(Tokens.prompt(user(text))).isGreaterThanOrEqualTo(CL100K.countTokensOrdinary(text) + FRAMING);
    }

    @Test
    void digitsAreEstimatedAtLeastOneTokenEachAsQwenSplitsThem() {
        StringBuilder digits = new StringBuilder();
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        String text = digits.toString();
        int estimate = Tokens.prompt(user(text));
        assertThat(estimate).isGreaterThanOrEqualTo(CL100K.countTokensOrdinary(text) + FRAMING);
        assertThat(estimate).isGreaterThanOrEqualTo(text.length() + FRAMING);
    }

    @Test
    void everyMessageAddsItsFraming() {
        JsonNode one = JSON.valueToTree(List.of(Map.of("role", "user", "content", "")));
        JsonNode three = JSON.valueToTree(List.of(Map.of("role", "system", "content", ""),
                Map.of("role", "user", "content", ""), Map.of("role", "assistant", "content", "")));
        assertThat(Tokens.prompt(three) - Tokens.prompt(one)).isGreaterThanOrEqualTo(2 * 3);
    }

    @Test
    void countIsTheBpeCountOfProseAndOfLongRunsWithoutSpaces() {
        String prose = "The evening wind carries the sound of a distant bell across the water; "
                + "birds rest in the garden while the lamp turns slowly toward home. ";
        String longProse = prose.repeat(2_000);
        String run = cjk(20_000, 4);
        assertThat(Tokens.count(prose)).isEqualTo(CL100K.countTokensOrdinary(prose));
        assertThat(Tokens.count(longProse)).isEqualTo(CL100K.countTokensOrdinary(longProse));
        assertThat(Tokens.count(run)).isEqualTo(CL100K.countTokensOrdinary(run));
    }

    @Test
    void aMegabyteWithoutSpacesIsCountedAsTheTokenizerCountsIt() {
        // One unbroken run is cut into slices (BPE's worst case); cut where cl100k merges anyway, the count stays
        // exact. How fast this is belongs to the benchmark harness, not to a timed test (docs/benchmarks.md).
        String run = "a".repeat(1_000_000);
        assertThat(Tokens.count(run)).isEqualTo(125_000).isEqualTo(CL100K.countTokensOrdinary(run));
    }

    /** {@code length} CJK ideographs, drawn at random (rare ones cost cl100k two or three tokens each). */
    static String cjk(int length, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (0x4E00 + random.nextInt(0x9FFF - 0x4E00)));
        }
        return text.toString();
    }

    static JsonNode user(String content) {
        return JSON.valueToTree(List.of(Map.of("role", "user", "content", content)));
    }
}
