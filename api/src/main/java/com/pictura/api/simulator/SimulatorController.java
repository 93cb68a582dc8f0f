package com.pictura.api.simulator;

import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
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
 * (answer N tokens: N words, each one BPE token), {@code #sim:delay=MS} (milliseconds between tokens).
 */
@RestController
@RequestMapping("/simulator/v1")
@EnableConfigurationProperties(SimulatorProperties.class)
@ConditionalOnProperty(name = "pictura.simulator.enabled", havingValue = "true", matchIfMissing = true)
public class SimulatorController {


    private static final Pattern DIRECTIVE = Pattern.compile("#sim:(\\w+)(?:=(\\d+))?");
    private static final String[] WORDS = ("the a light river stone quiet bright morning city paints over "
            + "under northern field with gentle colour shadow glass window tree open sky small road old harbour "
            + "evening wind carries sound across water soft green hill falls into silver cloud warm lamp slowly "
            + "turns toward distant bell garden path leads home while birds rest").split(" ");
    /** The words that are one token with no space before them too, so the answer's first word is one token. */
    private static final String[] FIRST_WORDS = java.util.Arrays.stream(WORDS)
            .filter(word -> Tokens.count(word) == 1).toArray(String[]::new);

    private final SimulatorProperties settings;
    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
    private final JsonMapper json = JsonMapper.builder().build();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
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
        String model = request.path("model").asString("sim");
        JsonNode messages = request.get("messages");
        StringBuilder promptText = new StringBuilder();
        if (messages != null) {
            messages.forEach(m -> promptText.append(Tokens.text(m.get("content"))).append('\n'));
        }
        Map<String, Long> directives = directives(promptText);
        if (directives.containsKey("error") || chance(settings.errorRate())) {
            int status = directives.getOrDefault("error", 500L).intValue();
            return error(HttpStatus.valueOf(status), "simulated upstream failure");
        }
        if (directives.containsKey("hang") || chance(settings.hangRate())) {
            return new DeferredResult<ResponseEntity<?>>(0L); // never answered: the caller's timeouts decide
        }
        int promptTokens = Tokens.exactPrompt(messages);
        long seed = (model + "\u0000" + promptText).hashCode() & 0xFFFFFFFFL;
        int natural = directives.containsKey("len") ? directives.get("len").intValue() : 12 + (int) (seed % 36);
        int maxTokens = request.path("max_completion_tokens").asInt(request.path("max_tokens").asInt(Integer.MAX_VALUE));
        int length = Math.min(natural, maxTokens);
        String finish = natural > maxTokens ? "length" : "stop";
        String[] tokens = tokens(seed, length);
        boolean usage = !directives.containsKey("nousage") && !chance(settings.missingUsageRate());
        long perToken = directives.containsKey("delay") ? directives.get("delay")
                : settings.latencyPerToken().toMillis();
        String id = "chatcmpl-sim" + Long.toHexString(seed) + Long.toHexString(System.nanoTime());
        long created = System.currentTimeMillis() / 1000;

        if (request.path("stream").asBoolean(false)) {
            int dropAfter = directives.containsKey("drop") ? directives.get("drop").intValue()
                    : chance(settings.dropRate()) ? length / 2 : -1;
            boolean includeUsage = usage && request.path("stream_options").path("include_usage").asBoolean(false);
            ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
            Stream stream = new Stream(emitter, id, created, model, tokens, finish, promptTokens, includeUsage,
                    dropAfter, perToken);
            timer.schedule(stream::next, settings.firstTokenLatency().toMillis(), TimeUnit.MILLISECONDS);
            return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(emitter);
        }

        ObjectNode body = json.createObjectNode();
        body.put("id", id).put("object", "chat.completion").put("created", created).put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", String.join("", tokens));
        choice.put("finish_reason", finish);
        if (usage) {
            usage(body.putObject("usage"), promptTokens, Tokens.count(String.join("", tokens)));
        }
        ResponseEntity<byte[]> answer = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(json.writeValueAsBytes(body));
        long delay = settings.firstTokenLatency().toMillis() + perToken * length;
        if (delay <= 0) {
            return answer;
        }
        return later(answer, delay);
    }

    @PostMapping(value = "/images/generations", consumes = MediaType.APPLICATION_JSON_VALUE)
    Object images(@RequestBody JsonNode request,
                  @RequestHeader(value = "Authorization", required = false) String authorization) {
        calls.incrementAndGet();
        if (!authorized(authorization)) {
            return error(HttpStatus.UNAUTHORIZED, "invalid simulator key");
        }
        String prompt = request.path("prompt").asString("");
        Map<String, Long> directives = directives(prompt);
        if (directives.containsKey("error") || chance(settings.errorRate())) {
            return error(HttpStatus.valueOf(directives.getOrDefault("error", 500L).intValue()),
                    "simulated upstream failure");
        }
        if (directives.containsKey("hang") || chance(settings.hangRate())) {
            return new DeferredResult<ResponseEntity<?>>(0L);
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
            data.addObject().put("b64_json", Base64.getEncoder().encodeToString(Png.render(width, height, seed + i)));
        }
        ResponseEntity<byte[]> answer = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(json.writeValueAsBytes(body));
        long delay = directives.containsKey("delay") ? directives.get("delay") * n
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
    private DeferredResult<ResponseEntity<?>> later(ResponseEntity<?> answer, long delay) {
        DeferredResult<ResponseEntity<?>> later = new DeferredResult<>(0L);
        timer.schedule(() -> later.setResult(answer), delay, TimeUnit.MILLISECONDS);
        return later;
    }

    /** One streamed answer, a token at a time on the simulator's timer: no thread waits between tokens. */
    private final class Stream {
        private final ResponseBodyEmitter emitter;
        private final String id;
        private final long created;
        private final String model;
        private final String[] tokens;
        private final String finish;
        private final int promptTokens;
        private final boolean includeUsage;
        private final int dropAfter;
        private final long perToken;
        private int next = -1;

        Stream(ResponseBodyEmitter emitter, String id, long created, String model, String[] tokens, String finish,
               int promptTokens, boolean includeUsage, int dropAfter, long perToken) {
            this.emitter = emitter;
            this.id = id;
            this.created = created;
            this.model = model;
            this.tokens = tokens;
            this.finish = finish;
            this.promptTokens = promptTokens;
            this.includeUsage = includeUsage;
            this.dropAfter = dropAfter;
            this.perToken = perToken;
        }

        void next() {
            try {
                if (next == -1) {
                    ObjectNode chunk = chunk();
                    chunk.withArray("choices").addObject().put("index", 0)
                            .putObject("delta").put("role", "assistant").put("content", "");
                    send(chunk);
                    next = 0;
                } else if (next == dropAfter) {
                    emitter.complete(); // cut off: no finish, no usage, no [DONE]
                    return;
                } else if (next < tokens.length) {
                    ObjectNode chunk = chunk();
                    chunk.withArray("choices").addObject().put("index", 0)
                            .putObject("delta").put("content", tokens[next]);
                    send(chunk);
                    next++;
                } else {
                    ObjectNode last = chunk();
                    ObjectNode choice = last.withArray("choices").addObject().put("index", 0);
                    choice.putObject("delta");
                    choice.put("finish_reason", finish);
                    send(last);
                    if (includeUsage) {
                        ObjectNode usage = chunk();
                        usage.putArray("choices");
                        usage(usage.putObject("usage"), promptTokens, Tokens.count(String.join("", tokens)));
                        send(usage);
                    }
                    emitter.send("data: [DONE]\n\n", MediaType.TEXT_PLAIN);
                    emitter.complete();
                    return;
                }
                timer.schedule(this::next, next == 0 ? 0 : perToken, TimeUnit.MILLISECONDS);
            } catch (IOException | RuntimeException e) {
                emitter.completeWithError(e); // the caller went away
            }
        }

        private ObjectNode chunk() {
            ObjectNode chunk = json.createObjectNode();
            chunk.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
            return chunk;
        }

        private void send(ObjectNode chunk) throws IOException {
            emitter.send("data: " + json.writeValueAsString(chunk) + "\n\n", MediaType.TEXT_PLAIN);
        }
    }

    private static void usage(ObjectNode usage, int prompt, int completion) {
        usage.put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
    }

    /**
     * {@code length} tokens: words with a leading space, and now and then a full stop or comma; every one a single
     * BPE token, and cl100k's pre-tokenizer splits before each, so the text counts exactly {@code length}.
     */
    private static String[] tokens(long seed, int length) {
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

    private static Map<String, Long> directives(CharSequence text) {
        Map<String, Long> directives = new LinkedHashMap<>();
        Matcher matcher = DIRECTIVE.matcher(text);
        while (matcher.find()) {
            directives.put(matcher.group(1), matcher.group(2) == null ? 1L : Long.parseLong(matcher.group(2)));
        }
        return directives;
    }

    private boolean authorized(String authorization) {
        String expected = settings.apiKey() == null || settings.apiKey().isBlank()
                ? Catalog.SIMULATOR_LOCAL_KEY : settings.apiKey();
        return ("Bearer " + expected).equals(authorization);
    }

    private static boolean chance(double rate) {
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    private ResponseEntity<byte[]> error(HttpStatus status, String message) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("message", message).put("type", "server_error").putNull("param")
                .put("code", "simulated");
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsBytes(body));
    }
}
