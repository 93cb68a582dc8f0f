package com.pictura.api.simulator;

import java.io.IOException;
import java.util.Base64;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.pictura.api.catalog.Catalog;
import com.pictura.api.provider.Tokens;
import jakarta.annotation.PreDestroy;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The built-in simulated provider: an OpenAI-compatible upstream served by Pictura itself, so a fresh checkout
 * works end to end offline. Deterministic text (the same prompt gives the same answer) with real BPE token counts
 * in its usage ({@link Tokens#exactPrompt}, {@link Tokens#count}: no margin, so the gap between the gateway's
 * estimate and the charge shows), real PNG images of the requested size, and latency and faults as configured.
 *
 * <p>Directives in the prompt ask for one behaviour on one call, which is how tests stay independent of each
 * other: {@code #sim:error=503} (answer with that status), {@code #sim:hang} (never answer),
 * {@code #sim:drop=N} (cut a stream after N tokens), {@code #sim:nousage} (omit usage), {@code #sim:len=N}
 * (answer N tokens: N words, each one BPE token), {@code #sim:delay=MS} (milliseconds between tokens),
 * {@code #sim:slow=MS} (that much longer before the first byte), {@code #sim:malformed} (a whole answer cut off
 * in the middle of its JSON; on a stream, {@code #sim:malformed=N}: half a chunk after N tokens, then the end).
 */
@RestController
@RequestMapping("/simulator/v1")
@EnableConfigurationProperties(SimulatorProperties.class)
@ConditionalOnProperty(name = "pictura.simulator.enabled", havingValue = "true", matchIfMissing = true)
public class SimulatorController {


    private static final Pattern DIRECTIVE = Pattern.compile("#sim:(\\w+)(?:=([\\w.-]+))?");
    private static final String[] WORDS = ("the a light river stone quiet bright morning city paints over "
            + "under northern field with gentle colour shadow glass window tree open sky small road old harbour "
            + "evening wind carries sound across water soft green hill falls into silver cloud warm lamp slowly "
            + "turns toward distant bell garden path leads home while birds rest").split(" ");
    /** The words that are one token with no space before them too, so the answer's first word is one token. */
    private static final String[] FIRST_WORDS = java.util.Arrays.stream(WORDS)
            .filter(word -> Tokens.count(word) == 1).toArray(String[]::new);

    final SimulatorProperties settings;
    final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
    private final JsonMapper json = JsonMapper.builder().build();
    final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "simulator");
        thread.setDaemon(true);
        return thread;
    });

    public SimulatorController(SimulatorProperties settings) {
        this.settings = settings;
        org.slf4j.LoggerFactory.getLogger(SimulatorController.class).warn("*** MODEL SIMULATOR ON *** /simulator/v1 "
                + "answers with simulated text and images; point the catalog at real upstreams and set "
                + "PICTURA_SIMULATOR_ENABLED=false for production (docs/gateway.md)");
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    /** How many generation calls reached the simulator: tests prove a refused request never did. */
    public long calls() {
        return calls.get();
    }

    @GetMapping("/models")
    Map<String, Object> models() {
        return Map.of("object", "list", "data", java.util.List.of());
    }

    @PostMapping(value = "/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    Object chat(@RequestBody JsonNode request,
                @RequestHeader(value = "Authorization", required = false) String authorization) {
        calls.incrementAndGet();
        if (!authorized(authorization)) {
            return error(HttpStatus.UNAUTHORIZED, "invalid simulator key");
        }
        JsonNode messages = request.get("messages");
        StringBuilder promptText = new StringBuilder();
        if (messages != null) {
            messages.forEach(m -> promptText.append(Tokens.text(m.get("content"))).append('\n'));
        }
        Map<String, String> directives = directives(promptText);
        Object refusal = fault(directives);
        if (refusal != null) {
            return refusal;
        }
        int promptTokens = Tokens.exactPrompt(messages, request.get("tools"));
        long seed = seed(request, promptText);
        int maxTokens = request.path("max_completion_tokens").asInt(request.path("max_tokens").asInt(Integer.MAX_VALUE));
        int n = Math.max(1, request.path("n").asInt(1));
        List<SimulatedChoice> choices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long choiceSeed = seed + 7919L * i;
            int natural = directives.containsKey("len") ? number(directives, "len") : 12 + (int) (choiceSeed % 36);
            int length = Math.min(natural, maxTokens);
            choices.add(SimulatedChoice.of(request, directives, tokens(choiceSeed, length), natural > maxTokens
                    ? "length" : "stop", choiceSeed, maxTokens));
        }
        boolean usage = !directives.containsKey("nousage") && !chance(settings.missingUsageRate());
        int top = request.path("logprobs").asBoolean(false) ? request.path("top_logprobs").asInt(0) : -1;
        long perToken = directives.containsKey("delay") ? number(directives, "delay")
                : settings.latencyPerToken().toMillis();
        String id = "chatcmpl-sim" + Long.toHexString(seed) + Long.toHexString(System.nanoTime());
        long created = System.currentTimeMillis() / 1000;
        String model = request.path("model").asString("sim");

        if (request.path("stream").asBoolean(false)) {
            int longest = choices.stream().mapToInt(c -> c.pieces.size()).max().orElse(0);
            int dropAfter = cutAfter(directives) >= 0 ? cutAfter(directives)
                    : chance(settings.dropRate()) ? longest / 2 : -1;
            boolean includeUsage = usage && request.path("stream_options").path("include_usage").asBoolean(false);
            ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
            SimulatedStream stream = new SimulatedStream(emitter, timer, id, created, model, choices, promptTokens,
                    includeUsage, dropAfter, directives.containsKey("malformed"), perToken, top, false);
            timer.schedule(stream::next, firstByte(directives), TimeUnit.MILLISECONDS);
            return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(emitter);
        }

        ObjectNode body = json.createObjectNode();
        body.put("id", id).put("object", "chat.completion").put("created", created).put("model", model);
        ArrayNode out = body.putArray("choices");
        int completion = 0;
        int longest = 0;
        for (int i = 0; i < n; i++) {
            SimulatedChoice c = choices.get(i);
            ObjectNode choice = out.addObject().put("index", i);
            choice.set("message", c.message());
            if (top >= 0) {
                choice.set("logprobs", c.logprobs(0, c.pieces.size(), top));
            }
            choice.put("finish_reason", c.finish);
            completion += Tokens.output(choice);
            longest = Math.max(longest, c.pieces.size());
        }
        if (usage) {
            usage(body.putObject("usage"), promptTokens, completion);
        }
        return whole(json.writeValueAsBytes(body), directives, firstByte(directives) + perToken * longest);
    }

    /** A whole answer after {@code delay} ms; half of it, broken JSON, when {@code #sim:malformed} asks. */
    Object whole(byte[] body, Map<String, String> directives, long delay) {
        byte[] sent = directives.containsKey("malformed") ? java.util.Arrays.copyOf(body, body.length / 2) : body;
        ResponseEntity<byte[]> answer = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(sent);
        return delay <= 0 ? answer : later(answer, delay);
    }

    /** Milliseconds before a chat answer's first byte. */
    long firstByte(Map<String, String> directives) {
        return settings.firstTokenLatency().toMillis() + (directives.containsKey("slow") ? number(directives, "slow") : 0);
    }

    /** After how many tokens a stream is cut ({@code drop} or {@code malformed}), or -1. */
    static int cutAfter(Map<String, String> directives) {
        return directives.containsKey("drop") ? number(directives, "drop")
                : directives.containsKey("malformed") ? number(directives, "malformed") : -1;
    }

    /** The fault a directive or a configured rate asks for on this call (an error, a hang), or null. */
    Object fault(Map<String, String> directives) {
        if (directives.containsKey("error") || chance(settings.errorRate())) {
            int status = directives.containsKey("error") ? number(directives, "error") : 500;
            return error(HttpStatus.valueOf(status), directives);
        }
        if (directives.containsKey("hang") || chance(settings.hangRate())) {
            return new DeferredResult<ResponseEntity<?>>(0L); // never answered: the caller's timeouts decide
        }
        return null;
    }

    /** Same prompt, same answer; a request's {@code seed} picks another one, as with a real model. */
    static long seed(JsonNode request, CharSequence prompt) {
        long seed = (request.path("model").asString("sim") + "\u0000" + prompt).hashCode() & 0xFFFFFFFFL;
        return request.path("seed").isIntegralNumber() ? (seed ^ request.get("seed").asLong() * 0x9E3779B97F4A7C15L)
                & 0xFFFFFFFFL : seed;
    }

    @PostMapping(value = "/images/generations", consumes = MediaType.APPLICATION_JSON_VALUE)
    Object images(@RequestBody JsonNode request,
                  @RequestHeader(value = "Authorization", required = false) String authorization) {
        calls.incrementAndGet();
        if (!authorized(authorization)) {
            return error(HttpStatus.UNAUTHORIZED, "invalid simulator key");
        }
        String prompt = request.path("prompt").asString("");
        Map<String, String> directives = directives(prompt);
        Object refusal = fault(directives);
        if (refusal != null) {
            return refusal;
        }
        int n = Math.max(1, request.path("n").asInt(1));
        String[] size = request.path("size").asString("512x512").split("x");
        int width = Integer.parseInt(size[0]);
        int height = Integer.parseInt(size[1]);
        long seed = request.has("seed") ? request.get("seed").asLong()
                : (request.path("model").asString("") + prompt).hashCode();
        ObjectNode body = json.createObjectNode();
        body.put("created", System.currentTimeMillis() / 1000);
        ArrayNode data = body.putArray("data");
        for (int i = 0; i < n; i++) {
            byte[] png = Png.render(width, height, seed + i,
                    "transparent".equals(request.path("background").asString("")));
            byte[] image = "jpeg".equals(request.path("output_format").asString("png")) ? Png.jpeg(png) : png;
            data.addObject().put("b64_json", Base64.getEncoder().encodeToString(image));
        }
        ResponseEntity<byte[]> answer = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(json.writeValueAsBytes(body));
        long delay = directives.containsKey("delay") ? (long) number(directives, "delay") * n
                : settings.latencyPerImage().toMillis() * n;
        if (delay <= 0) {
            return answer;
        }
        return later(answer, delay);
    }

    /**
     * An answer given after {@code delay} ms. Like a real provider, the simulator keeps the request open as long as
     * it takes: no servlet async timeout of its own (0 = none), so only the gateway's timeouts decide.
     */
    DeferredResult<ResponseEntity<?>> later(ResponseEntity<?> answer, long delay) {
        DeferredResult<ResponseEntity<?>> later = new DeferredResult<>(0L);
        timer.schedule(() -> later.setResult(answer), delay, TimeUnit.MILLISECONDS);
        return later;
    }

    static void usage(ObjectNode usage, int prompt, int completion) {
        usage.put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
    }

    /**
     * {@code length} tokens: words with a leading space, and now and then a full stop or comma; every one a single
     * BPE token, and cl100k's pre-tokenizer splits before each, so the text counts exactly {@code length}.
     */
    static String[] tokens(long seed, int length) {
        String[] tokens = new String[length];
        long state = seed * 6364136223846793005L + 1442695040888963407L;
        for (int i = 0; i < length; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            int pick = (int) ((state >>> 33) % WORDS.length);
            if (i > 0 && i % 9 == 8) {
                tokens[i] = (state & 1) == 0 ? "." : ",";
            } else if (i == 0) {
                tokens[i] = FIRST_WORDS[pick % FIRST_WORDS.length];
            } else {
                tokens[i] = " " + WORDS[pick];
            }
        }
        return tokens;
    }

    static Map<String, String> directives(CharSequence text) {
        Map<String, String> directives = new LinkedHashMap<>();
        Matcher matcher = DIRECTIVE.matcher(text);
        while (matcher.find()) {
            directives.put(matcher.group(1), matcher.group(2) == null ? "1" : matcher.group(2));
        }
        return directives;
    }

    static int number(Map<String, String> directives, String name) {
        try {
            return Integer.parseInt(directives.get(name));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    boolean authorized(String authorization) {
        String expected = settings.apiKey() == null || settings.apiKey().isBlank()
                ? Catalog.SIMULATOR_LOCAL_KEY : settings.apiKey();
        return ("Bearer " + expected).equals(authorization);
    }

    static boolean chance(double rate) {
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    /**
     * An error as OpenAI-compatible servers send it. {@code #sim:retry=S} adds {@code Retry-After: S} (a 429
     * has one anyway); a 4xx says what was wrong, as a client-caused refusal does.
     */
    ResponseEntity<byte[]> error(HttpStatus status, Map<String, String> directives) {
        String message = status.is4xxClientError() ? "simulated refusal: the request is not acceptable ("
                + status.value() + ")" : "simulated upstream failure";
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (status.value() == 429 || directives.containsKey("retry")) {
            answer.header("Retry-After", directives.getOrDefault("retry", "2"));
        }
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("message", message)
                .put("type", status.is4xxClientError() ? "invalid_request_error" : "server_error")
                .put("param", status.is4xxClientError() ? "messages" : null).put("code", "simulated");
        return answer.body(json.writeValueAsBytes(body));
    }

    ResponseEntity<byte[]> error(HttpStatus status, String message) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("message", message).put("type", "server_error").putNull("param")
                .put("code", "simulated");
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsBytes(body));
    }
}
