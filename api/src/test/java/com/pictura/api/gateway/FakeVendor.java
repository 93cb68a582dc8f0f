package com.pictura.api.gateway;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small OpenAI-compatible vendor on loopback inside the test JVM, answering chat completions as that vendor
 * does: Together AI puts usage in the last content chunk of a stream and errors in OpenAI's shape; DeepInfra
 * sends usage in a chunk of its own and errors as {@code {"detail":{"error":"…"}}}, and also serves embeddings
 * (usage by its own count) and images through OpenAI's images API (PNG as {@code b64_json}, no usage). It can be
 * told to fail the next calls before answering, to refuse the next call as the client's fault, or to break off a
 * stream after its first chunk.
 */
final class FakeVendor {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    enum Shape { TOGETHER, DEEPINFRA }

    final Shape shape;
    final String key;
    final AtomicInteger calls = new AtomicInteger();
    /** The next this many calls answer 503 before any output. */
    final AtomicInteger failNext = new AtomicInteger();
    /** The next this many streams break off after their first chunk. */
    final AtomicInteger dropNext = new AtomicInteger();
    /** When set, the next call is refused 400 with this message. */
    final AtomicReference<String> refuseNext = new AtomicReference<>();
    /** The tokens this vendor counts per embedding input (its own tokenizer, not Pictura's). */
    static final int EMBEDDING_TOKENS_PER_INPUT = 7;
    private final HttpServer server;

    FakeVendor(Shape shape, String pathPrefix, String key) {
        this.shape = shape;
        this.key = key;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext(pathPrefix + "/chat/completions", this::chat);
        server.createContext(pathPrefix + "/embeddings", this::embeddings);
        server.createContext(pathPrefix + "/images/generations", this::images);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String baseUrl(String pathPrefix) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathPrefix;
    }

    /** The request, or null once an error has been answered (a wrong key, an injected failure or refusal). */
    private JsonNode admit(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (!("Bearer " + key).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            error(exchange, 401, "Invalid API key");
            return null;
        }
        String refusal = refuseNext.getAndSet(null);
        if (refusal != null) {
            error(exchange, 400, refusal);
            return null;
        }
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(exchange, 503, "The model is overloaded, please try again");
            return null;
        }
        return request;
    }

    private void embeddings(HttpExchange exchange) throws IOException {
        JsonNode request = admit(exchange);
        if (request == null) {
            return;
        }
        int inputs = request.path("input").isArray() ? request.path("input").size() : 1;
        ObjectNode body = JSON.createObjectNode().put("object", "list").put("model", request.path("model").asString());
        var data = body.putArray("data");
        for (int i = 0; i < inputs; i++) {
            var vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (int d = 0; d < 1024; d++) {
                vector.add(d == i % 1024 ? 1.0 : 0.0);
            }
        }
        body.putObject("usage").put("prompt_tokens", inputs * EMBEDDING_TOKENS_PER_INPUT)
                .put("total_tokens", inputs * EMBEDDING_TOKENS_PER_INPUT);
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
    }

    private void images(HttpExchange exchange) throws IOException {
        JsonNode request = admit(exchange);
        if (request == null) {
            return;
        }
        String[] size = request.path("size").asString("1024x1024").split("x");
        BufferedImage image = new BufferedImage(Integer.parseInt(size[0]), Integer.parseInt(size[1]),
                BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        String b64 = Base64.getEncoder().encodeToString(png.toByteArray());
        ObjectNode body = JSON.createObjectNode().put("created", 1);
        var data = body.putArray("data");
        for (int i = 0; i < request.path("n").asInt(1); i++) {
            data.addObject().put("b64_json", b64);
        }
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
    }

    private void chat(HttpExchange exchange) throws IOException {
        JsonNode request = admit(exchange);
        if (request == null) {
            return;
        }
        String model = request.path("model").asString();
        String text = "answer from " + shape.name().toLowerCase() + " for " + model;
        int prompt = 21;
        int completion = 6;
        if (!request.path("stream").asBoolean(false)) {
            ObjectNode body = JSON.createObjectNode().put("id", "cmpl-1").put("object", "chat.completion")
                    .put("created", 1).put("model", model);
            body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                    .putObject("message").put("role", "assistant").put("content", text);
            body.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                    .put("total_tokens", prompt + completion);
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        String[] words = text.split(" ");
        for (int i = 0; i < words.length; i++) {
            ObjectNode chunk = chunk(model);
            ObjectNode choice = chunk.withArray("choices").addObject().put("index", 0);
            choice.putObject("delta").put("content", (i == 0 ? "" : " ") + words[i]);
            boolean last = i == words.length - 1;
            if (last) {
                choice.put("finish_reason", "stop");
                if (shape == Shape.TOGETHER) {
                    chunk.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                            .put("total_tokens", prompt + completion);
                }
            }
            out.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (i == 0 && dropNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.close(); // breaks off mid-answer, with no [DONE]
                return;
            }
        }
        if (shape == Shape.DEEPINFRA) {
            ObjectNode usage = chunk(model);
            usage.putArray("choices");
            usage.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                    .put("total_tokens", prompt + completion);
            out.write(("data: " + JSON.writeValueAsString(usage) + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.close();
    }

    private static ObjectNode chunk(String model) {
        return JSON.createObjectNode().put("id", "cmpl-s").put("object", "chat.completion.chunk").put("created", 1)
                .put("model", model);
    }

    private void error(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        if (shape == Shape.TOGETHER) {
            body.putObject("error").put("message", message).put("type", "server_error").putNull("param")
                    .putNull("code");
        } else {
            body.putObject("detail").put("error", message);
        }
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
