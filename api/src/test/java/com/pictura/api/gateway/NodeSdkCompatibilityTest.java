package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official OpenAI Node SDK, installed from the npm registry at the version {@code src/test/node/package.json}
 * pins, runs {@code src/test/node/sdk-check.mjs} against /v1 with only the base URL and the key changed: a
 * tool-calling conversation, a streamed tool call, a JSON-schema answer, embeddings and a vision message, each
 * asserted by the script on what the SDK parsed. Here: every call charged exactly what its reported usage costs.
 * Needs {@code node} and {@code npm} on the path ({@code .ci/run} installs them when missing).
 */
class NodeSdkCompatibilityTest extends GatewayTestBase {

    private static final Path SOURCES = Path.of("src", "test", "node");
    private static final Path WORK = Path.of("target", "node-sdk");

    @Test
    void theNodeSdkRunsToolsStreamsSchemasEmbeddingsAndVisionEachChargedExactly() throws Exception {
        Client client = client("node-sdk");
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "sdk-check.mjs")) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        run(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), null, 300);

        String output = run(List.of("node", "sdk-check.mjs"), client.key(), 120);

        JsonNode calls = JsonMapper.builder().build().readTree(output.lines().reduce((a, b) -> b).orElseThrow())
                .get("calls");
        assertThat(calls.size()).isEqualTo(6);
        Credits spent = Credits.ZERO;
        for (JsonNode call : calls) {
            spent = spent.plus(Pricing.chat(call.get("prompt").asLong(), call.get("completion").asLong(),
                    chatPrice(call.get("model").asString())));
        }
        awaitBalance(client, Credits.of(25).minus(spent));
        assertThat(ledger(client, 13)).filteredOn("charge"::equals).hasSize(6);
    }

    /** Runs a command in the work directory; its standard output, or a failure with everything it printed. */
    private String run(List<String> command, String apiKey, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(WORK.toAbsolutePath(), "run", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PICTURA_BASE_URL", "http://127.0.0.1:" + port + "/v1");
        if (apiKey != null) {
            builder.environment().put("PICTURA_API_KEY", apiKey);
        }
        Process process = builder.start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        assertThat(finished && process.exitValue() == 0).as(String.join(" ", command) + " failed:\n" + output).isTrue();
        return output;
    }
}
