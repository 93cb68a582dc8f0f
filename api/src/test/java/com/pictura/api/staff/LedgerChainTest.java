package com.pictura.api.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.pictura.PicturaApplication;
import com.pictura.api.Http;
import com.pictura.api.ledgerchain.OfflineVerifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tamper-evident ledger: every stored event has its hash-chain link; changing one byte of one stored payload
 * makes the server's verification name that event; an export verifies offline (no server, no database) with the
 * same balances the server has, and a tampered export fails there too.
 */
class LedgerChainTest extends StaffTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private Person auditor;

    @BeforeEach
    void auditor() {
        auditor = withRole(signUp("chain-auditor"), "AUDITOR");
    }

    @Test
    void changingOneByteOfOneStoredPayloadIsNamedByVerification() {
        Person user = signUp("tampered");
        var key = http.post("/api/keys", user.session(), Map.of("name", "laptop")).json();
        assertThat(broken()).as("before: every event of this account matches its link")
                .noneMatch(b -> b.contains(key.get("id").asString()) || b.contains(user.accountId()));

        // One byte of the key's name in its ApiKeyIssued payload: 'laptop' becomes 'laptoq'.
        int changed = jdbc.sql("""
                update domain_event_entry set payload = convert_to(replace(convert_from(payload, 'UTF8'),
                       '"laptop"', '"laptoq"'), 'UTF8') where aggregate_identifier = ?""")
                .param(key.get("id").asString()).update();
        assertThat(changed).isEqualTo(1);

        assertThat(broken()).contains(key.get("id").asString() + "#0");
    }

    @Test
    void theHeadsMoveWithEveryEventAndTheirDigestWithThem() {
        Person user = signUp("heads");
        String wallet = "wal_" + user.accountId().substring("acct_".length());
        JsonNode before = http.get("/audit/chain/heads", auditor.session()).json();
        long sequence = head(before, wallet).get("sequence").asLong();

        http.post("/api/keys", user.session(), Map.of("name", "k"));
        String imageKey = http.post("/api/keys", user.session(), Map.of("name", "k2")).json().get("key").asString();
        assertThat(http.post("/v1/images/generations", imageKey, Http.json(Map.of("model", "flux-schnell",
                "prompt", "a lighthouse", "size", "256x256"))).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode after = http.get("/audit/chain/heads", auditor.session()).json();
            assertThat(head(after, wallet).get("sequence").asLong()).isEqualTo(sequence + 2); // reserved, charged
            assertThat(after.get("digest").asString()).isNotEqualTo(before.get("digest").asString());
        });
    }

    @Test
    void anExportVerifiesOfflineWithTheServersBalancesAndATamperedOneDoesNot() throws Exception {
        Person user = signUp("exported");
        String key = http.post("/api/keys", user.session(), Map.of("name", "k")).json().get("key").asString();
        assertThat(http.post("/v1/images/generations", key, Http.json(Map.of("model", "flux-schnell",
                "prompt", "a lighthouse", "size", "256x256"))).status()).isEqualTo(200);
        String wallet = "wal_" + user.accountId().substring("acct_".length());
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/me", user.session()).json()
                .at("/balance/available").asString().equals("24.920000"));

        var export = http.get("/audit/export?account=" + user.accountId(), auditor.session());
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("Content-Type")).startsWith("application/x-ndjson");
        Path file = Files.createTempFile("pictura-export", ".jsonl");
        Files.writeString(file, export.body());

        Verified intact = verifyInItsOwnProcess(file);
        assertThat(intact.exit()).as(intact.output()).isZero();
        assertThat(intact.output()).contains("INTACT").contains("BALANCE " + wallet + " available=24.920000");

        // One byte of the wallet's free-credit grant, in the exported file: a digit of its amount.
        List<String> lines = new ArrayList<>(export.body().lines().toList());
        long tamperedSequence = -1;
        for (int i = 0; i < lines.size() && tamperedSequence < 0; i++) {
            ObjectNode event = (ObjectNode) JSON.readTree(lines.get(i));
            byte[] payload = Base64.getDecoder().decode(event.get("payload").asString());
            int digit = new String(payload, StandardCharsets.ISO_8859_1).indexOf("25000000");
            if (event.get("aggregate").asString().equals(wallet) && digit >= 0) {
                payload[digit] = '9';
                event.put("payload", Base64.getEncoder().encodeToString(payload));
                lines.set(i, JSON.writeValueAsString(event));
                tamperedSequence = event.get("sequence").asLong();
            }
        }
        assertThat(tamperedSequence).as("the grant of the free credits").isNotNegative();
        Path tampered = Files.createTempFile("pictura-tampered", ".jsonl");
        Files.write(tampered, lines);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = OfflineVerifier.run(tampered, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("BROKEN " + wallet + " #" + tamperedSequence).contains("TAMPERED")
                .as("the balance the tampered event claims").contains("BALANCE " + wallet + " available=94.920000");
        var csv = http.get("/audit/export?format=csv&account=" + user.accountId(), auditor.session());
        assertThat(csv.body().lines().count()).as("a header and the same events").isEqualTo(lines.size() + 1);
    }

    private record Verified(int exit, String output) {
    }

    /** {@code verify} through the application's own main, in a JVM of its own: no Spring, no database. */
    private static Verified verifyInItsOwnProcess(Path export) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PicturaApplication.class.getName(), "verify",
                export.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Verified(process.exitValue(), output);
    }

    private List<String> broken() {
        var verification = http.get("/audit/chain/verification", auditor.session());
        assertThat(verification.status()).as(verification.body()).isEqualTo(200);
        List<String> broken = new ArrayList<>();
        verification.json().get("broken").forEach(b -> broken.add(b.path("aggregate").asString("") + "#"
                + b.path("sequence").asLong()));
        return broken;
    }

    private static JsonNode head(JsonNode heads, String aggregate) {
        for (JsonNode head : heads.get("heads")) {
            if (head.get("aggregate").asString().equals(aggregate)) {
                return head;
            }
        }
        throw new AssertionError("no head for " + aggregate);
    }
}
