package com.pictura.api.simulator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.pictura.api.provider.Tokens;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator's legacy text completions and embeddings, with the same directives and exact BPE usage as its
 * chat: a text completion's prompt counts its BPE tokens + 1 (BOS); an embedding input + 2 (BGE's [CLS] and
 * [SEP]), or its length when given as token ids. Vectors are deterministic unit vectors of the text.
 */
@RestController
@RequestMapping("/simulator/v1")
@ConditionalOnProperty(name = "pictura.simulator.enabled", havingValue = "true", matchIfMissing = true)
class SimulatorTextController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SimulatorController simulator;

    SimulatorTextController(SimulatorController simulator) {
        this.simulator = simulator;
    }

    @PostMapping(value = "/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    Object completions(@RequestBody JsonNode request,
                       @RequestHeader(value = "Authorization", required = false) String authorization) {
        simulator.calls.incrementAndGet();
        if (!simulator.authorized(authorization)) {
            return simulator.error(HttpStatus.UNAUTHORIZED, "invalid simulator key");
        }
        List<String> prompts = texts(request.get("prompt"));
        Map<String, String> directives = SimulatorController.directives(String.join("\n", prompts));
        Object refusal = simulator.fault(directives);
        if (refusal != null) {
            return refusal;
        }
        int n = Math.max(1, request.path("n").asInt(1));
        int maxTokens = request.path("max_tokens").asInt(16);
        int promptTokens = 0;
        List<SimulatedChoice> choices = new ArrayList<>();
        for (String prompt : prompts) {
            promptTokens += Tokens.exactText(prompt, Tokens.COMPLETION_SPECIAL);
            long seed = SimulatorController.seed(request, prompt);
            for (int i = 0; i < n; i++) {
                long choiceSeed = seed + 7919L * i;
                int natural = directives.containsKey("len") ? SimulatorController.number(directives, "len")
                        : 12 + (int) (choiceSeed % 36);
                choices.add(SimulatedChoice.of(request, directives, SimulatorController.tokens(choiceSeed,
                        Math.min(natural, maxTokens)), natural > maxTokens ? "length" : "stop", choiceSeed, maxTokens));
            }
        }
        boolean usage = !directives.containsKey("nousage");
        long perToken = directives.containsKey("delay") ? SimulatorController.number(directives, "delay")
                : simulator.settings.latencyPerToken().toMillis();
        String id = "cmpl-sim" + Long.toHexString(System.nanoTime());
        long created = System.currentTimeMillis() / 1000;
        String model = request.path("model").asString("sim");
        if (request.path("stream").asBoolean(false)) {
            ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
            SimulatedStream stream = new SimulatedStream(emitter, simulator.timer, id, created, model, choices,
                    promptTokens, usage && request.path("stream_options").path("include_usage").asBoolean(false),
                    SimulatorController.cutAfter(directives), directives.containsKey("malformed"), perToken, -1, true);
            simulator.timer.schedule(stream::next, simulator.firstByte(directives), TimeUnit.MILLISECONDS);
            return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(emitter);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("id", id).put("object", "text_completion").put("created", created).put("model", model);
        ArrayNode out = body.putArray("choices");
        int completion = 0;
        for (int i = 0; i < choices.size(); i++) {
            ObjectNode choice = out.addObject().put("index", i).put("text", choices.get(i).content);
            choice.putNull("logprobs");
            choice.put("finish_reason", choices.get(i).finish);
            completion += Tokens.output(choice);
        }
        if (usage) {
            SimulatorController.usage(body.putObject("usage"), promptTokens, completion);
        }
        int longest = choices.stream().mapToInt(c -> c.pieces.size()).max().orElse(0);
        return simulator.whole(JSON.writeValueAsBytes(body), directives, simulator.firstByte(directives)
                + perToken * longest);
    }

    @PostMapping(value = "/embeddings", consumes = MediaType.APPLICATION_JSON_VALUE)
    Object embeddings(@RequestBody JsonNode request,
                      @RequestHeader(value = "Authorization", required = false) String authorization) {
        simulator.calls.incrementAndGet();
        if (!simulator.authorized(authorization)) {
            return simulator.error(HttpStatus.UNAUTHORIZED, "invalid simulator key");
        }
        JsonNode input = request.get("input");
        List<JsonNode> inputs = new ArrayList<>();
        if (input != null && input.isArray() && !input.isEmpty() && !input.get(0).isNumber()) {
            input.forEach(inputs::add);
        } else if (input != null) {
            inputs.add(input);
        }
        StringBuilder all = new StringBuilder();
        inputs.forEach(i -> all.append(i.isString() ? i.asString() : "").append('\n'));
        Map<String, String> directives = SimulatorController.directives(all);
        Object refusal = simulator.fault(directives);
        if (refusal != null) {
            return refusal;
        }
        int dimensions = request.path("dimensions").asInt(1024);
        boolean base64 = "base64".equals(request.path("encoding_format").asString("float"));
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode one = inputs.get(i);
            tokens += one.isString() ? Tokens.exactText(one.asString(), Tokens.EMBEDDING_SPECIAL) : one.size();
            float[] vector = vector(one.toString(), dimensions);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(4 * dimensions).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : vector) {
                    bytes.putFloat(v);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
        }
        body.put("model", request.path("model").asString("sim"));
        if (!directives.containsKey("nousage")) {
            body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsBytes(body));
    }

    /** A unit vector from the text's hash: the same text, the same vector. */
    private static float[] vector(String text, int dimensions) {
        float[] vector = new float[dimensions];
        long state = text.hashCode() * 0x9E3779B97F4A7C15L;
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            vector[i] = ((state >>> 40) / (float) (1 << 24)) - 0.5f;
            norm += vector[i] * vector[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    private static List<String> texts(JsonNode prompt) {
        List<String> texts = new ArrayList<>();
        if (prompt != null && prompt.isArray()) {
            prompt.forEach(p -> texts.add(p.asString("")));
        } else {
            texts.add(prompt == null ? "" : prompt.asString(""));
        }
        return texts;
    }
}
