package com.pictura.api.simulator;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.pictura.api.provider.Tokens;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** One streamed answer, a piece at a time on the simulator's timer: no thread waits between pieces. */
final class SimulatedStream {
    private static final JsonMapper json = JsonMapper.builder().build();
    private final ResponseBodyEmitter emitter;
    private final ScheduledExecutorService timer;
    /** A text completion's chunks ({@code choices[].text}) instead of chat deltas. */
    private final boolean text;
    private final String id;
    private final long created;
    private final String model;
    private final List<SimulatedChoice> choices;
    private final int promptTokens;
    private final boolean includeUsage;
    private final int dropAfter;
    /** The cut sends half a chunk first, as a provider whose connection breaks mid-write does. */
    private final boolean garbled;
    private final long perToken;
    private final int top;
    private int completion;
    private int next = -1;

    SimulatedStream(ResponseBodyEmitter emitter, ScheduledExecutorService timer, String id, long created, String model,
                    List<SimulatedChoice> choices, int promptTokens, boolean includeUsage, int dropAfter, boolean garbled,
                    long perToken, int top, boolean text) {
        this.emitter = emitter;
        this.timer = timer;
        this.text = text;
        this.id = id;
        this.created = created;
        this.model = model;
        this.choices = choices;
        this.promptTokens = promptTokens;
        this.includeUsage = includeUsage;
        this.dropAfter = dropAfter;
        this.garbled = garbled;
        this.perToken = perToken;
        this.top = top;
    }

    void next() {
        try {
            int longest = choices.stream().mapToInt(c -> c.pieces.size()).max().orElse(0);
            if (next == -1 && text) {
                next = 0; // text completions have no role chunk
            }
            if (next == -1) {
                ObjectNode chunk = chunk();
                for (int i = 0; i < choices.size(); i++) {
                    ObjectNode delta = chunk.withArray("choices").addObject().put("index", i)
                            .putObject("delta").put("role", "assistant");
                    if (choices.get(i).toolCall == null) {
                        delta.put("content", "");
                    } else {
                        delta.putNull("content");
                    }
                }
                send(chunk);
                next = 0;
            } else if (next == dropAfter) {
                if (garbled) {
                    emitter.send("data: {\"id\":\"" + id + "\",\"choices\":[{\"delta\":{\"content\n\n", MediaType.TEXT_PLAIN);
                }
                emitter.complete(); // cut off: no finish, no usage, no [DONE]
                return;
            } else if (next < longest) {
                ObjectNode chunk = chunk();
                for (int i = 0; i < choices.size(); i++) {
                    SimulatedChoice c = choices.get(i);
                    if (next < c.pieces.size()) {
                        ObjectNode choice = chunk.withArray("choices").addObject().put("index", i);
                        if (text) {
                            choice.put("text", c.pieces.get(next)).putNull("logprobs").putNull("finish_reason");
                        } else {
                            choice.set("delta", c.delta(next));
                        }
                        if (top >= 0) {
                            choice.set("logprobs", c.logprobs(next, next + 1, top));
                        }
                        completion += Tokens.output(choice);
                    }
                }
                send(chunk);
                next++;
            } else {
                ObjectNode last = chunk();
                for (int i = 0; i < choices.size(); i++) {
                    ObjectNode choice = last.withArray("choices").addObject().put("index", i);
                    if (text) {
                        choice.put("text", "").putNull("logprobs");
                    } else {
                        choice.putObject("delta");
                    }
                    choice.put("finish_reason", choices.get(i).finish);
                }
                send(last);
                if (includeUsage) {
                    ObjectNode usage = chunk();
                    usage.putArray("choices");
                    // what was streamed, piece by piece, as a gateway counting the deltas would count it
                    SimulatorController.usage(usage.putObject("usage"), promptTokens, completion);
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
        chunk.put("id", id).put("object", text ? "text_completion" : "chat.completion.chunk").put("created", created).put("model", model);
        return chunk;
    }

    private void send(ObjectNode chunk) throws IOException {
        emitter.send("data: " + json.writeValueAsString(chunk) + "\n\n", MediaType.TEXT_PLAIN);
    }
}
