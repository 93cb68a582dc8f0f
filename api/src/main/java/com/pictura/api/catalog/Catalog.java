package com.pictura.api.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.pictura.api.security.Secrets;
import com.pictura.api.web.ApiException;
import com.pictura.domain.inference.Pricing.ChatPrice;
import com.pictura.domain.wallet.Credits;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The models clients can call, from {@link CatalogProperties}. Every entry is checked when the application
 * starts: a missing price, an unknown provider or a malformed amount fails the start, never a request.
 */
@Component
@EnableConfigurationProperties(CatalogProperties.class)
public class Catalog {

    /** The base URL meaning "the simulator served by this very application". */
    public static final String SELF = "self";
    /**
     * The key this JVM's simulator expects when none is configured: random, so the simulator served on the public
     * port is not free compute for anyone who finds it; the {@code self} provider uses it.
     */
    public static final String SIMULATOR_LOCAL_KEY = Secrets.generate("sim_");

    private final Map<String, ModelEntry> models;
    private volatile int localPort = -1;

    public Catalog(CatalogProperties properties, Environment environment) {
        Map<String, ProviderEntry> providers = new TreeMap<>();
        if (properties.providers() != null) {
            properties.providers().forEach((name, p) -> providers.put(name, provider(name, p, environment)));
        }
        Map<String, ModelEntry> checked = new LinkedHashMap<>();
        if (properties.models() != null) {
            new TreeMap<>(properties.models()).forEach((id, m) -> checked.put(id, model(id, m, providers)));
        }
        this.models = Map.copyOf(checked);
    }

    @EventListener
    void onWebServer(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            localPort = event.getWebServer().getPort();
        }
    }

    public Optional<ModelEntry> find(String id) {
        return Optional.ofNullable(id == null ? null : models.get(id));
    }

    /**
     * The model a call names, if it is served now and of the type the endpoint serves.
     *
     * @throws ApiException 404 {@code model_not_found}, or 400 when the model is of the other type
     */
    public ModelEntry require(String id, ModelEntry.Type type, Instant at) {
        ModelEntry model = find(id).filter(m -> m.isAvailableAt(at))
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "invalid_request_error", "model_not_found",
                        "model", "The model '" + id + "' does not exist; GET /v1/models lists the models."));
        if (model.type() != type) {
            throw ApiException.invalid("model", "'" + id + "' is " + switch (model.type()) {
                case CHAT -> "a chat model; use /v1/chat/completions or /v1/completions.";
                case IMAGE -> "an image model; use /v1/images/generations.";
                case EMBEDDING -> "an embedding model; use /v1/embeddings.";
            });
        }
        return model;
    }

    /** Every model, by id. */
    public List<ModelEntry> all() {
        List<ModelEntry> all = new ArrayList<>(models.values());
        all.sort(Comparator.comparing(ModelEntry::id));
        return all;
    }

    public Collection<String> ids() {
        return all().stream().map(ModelEntry::id).toList();
    }

    private String selfBaseUrl() {
        if (localPort <= 0) {
            throw new IllegalStateException("the simulator's port is not known before the web server starts");
        }
        return "http://127.0.0.1:" + localPort + "/simulator/v1";
    }

    private ProviderEntry provider(String name, CatalogProperties.Provider p, Environment environment) {
        String baseUrl = require(p.baseUrl(), "providers." + name + ".base-url");
        String apiKey = null;
        if (p.apiKeyRef() != null && !p.apiKeyRef().isBlank()) {
            apiKey = environment.getProperty(p.apiKeyRef().strip());
        }
        String url = baseUrl.strip().replaceAll("/+$", "");
        if (SELF.equals(url) && (apiKey == null || apiKey.isBlank())) {
            apiKey = SIMULATOR_LOCAL_KEY;
        } else if (p.apiKeyRef() != null && !p.apiKeyRef().isBlank() && (apiKey == null || apiKey.isBlank())) {
            // A vendor without its key would answer every call 401: better not to start than to serve 502s.
            throw new IllegalStateException("catalog: providers." + name + " needs its key in " + p.apiKeyRef());
        }
        return new ProviderEntry(name, SELF.equals(url) ? this::selfBaseUrl : () -> url, apiKey,
                orDefault(p.connectTimeout(), Duration.ofSeconds(2)),
                orDefault(p.firstByteTimeout(), Duration.ofSeconds(30)),
                orDefault(p.totalTimeout(), Duration.ofSeconds(120)));
    }

    private static ModelEntry model(String id, CatalogProperties.Model m, Map<String, ProviderEntry> providers) {
        String where = "models." + id;
        ModelEntry.Type type = switch (require(m.type(), where + ".type")) {
            case "chat" -> ModelEntry.Type.CHAT;
            case "image" -> ModelEntry.Type.IMAGE;
            case "embedding" -> ModelEntry.Type.EMBEDDING;
            default -> throw new IllegalStateException(where + ".type must be chat, image or embedding");
        };
        List<ModelEntry.Upstream> upstreams = upstreams(id, m, providers);
        ModelEntry.ChatSpec chat = null;
        ModelEntry.ImageSpec image = null;
        ModelEntry.EmbeddingSpec embedding = null;
        if (type == ModelEntry.Type.EMBEDDING) {
            CatalogProperties.Embedding e = m.embedding();
            if (e == null || e.dimensions() == null || e.maxInputTokens() == null) {
                throw new IllegalStateException(where + ".embedding.dimensions and max-input-tokens are required");
            }
            embedding = new ModelEntry.EmbeddingSpec(e.dimensions(), e.maxInputTokens(), orDefault(e.maxInputs(), 2048));
        } else if (type == ModelEntry.Type.CHAT) {
            if (m.chat() == null) {
                throw new IllegalStateException(where + ".chat is required for a chat model");
            }
            int context = orDefault(m.chat().contextLength(), 8192);
            chat = new ModelEntry.ChatSpec(context, Math.min(context, orDefault(m.chat().defaultMaxTokens(), 1024)),
                    orDefault(m.chat().vision(), false));
        } else {
            CatalogProperties.Image i = m.image();
            if (i == null || i.sizes() == null || i.sizes().isEmpty()) {
                throw new IllegalStateException(where + ".image.sizes is required for an image model");
            }
            for (String size : i.sizes()) {
                if (!size.matches("\\d{2,4}x\\d{2,4}")) {
                    throw new IllegalStateException(where + ".image.sizes: not WIDTHxHEIGHT: " + size);
                }
            }
            String defaultSize = orDefault(i.defaultSize(), i.sizes().get(0));
            int defaultSteps = orDefault(i.defaultSteps(), 20);
            int maxSteps = orDefault(i.maxSteps(), defaultSteps);
            Map<String, Integer> qualities = orDefault(i.qualities(), Map.<String, Integer>of());
            qualities.forEach((quality, steps) -> {
                if (steps == null || steps < 1 || steps > maxSteps) {
                    throw new IllegalStateException(where + ".image.qualities." + quality + ": 1 to max-steps steps");
                }
            });
            List<String> formats = new ArrayList<>(orDefault(i.outputFormats(), List.of("png")));
            if (!formats.contains("png") || !List.of("png", "jpeg").containsAll(formats)) {
                throw new IllegalStateException(where + ".image.output-formats: png, and jpeg if offered");
            }
            image = new ModelEntry.ImageSpec(List.copyOf(i.sizes()), defaultSize, defaultSteps, maxSteps,
                    orDefault(i.maxN(), 4), orDefault(i.supportsNegativePrompt(), false),
                    orDefault(i.supportsSeed(), true), Map.copyOf(qualities),
                    List.copyOf(orDefault(i.styles(), List.of())), List.copyOf(orDefault(i.backgrounds(), List.of())),
                    List.copyOf(formats));
        }
        if (m.prices() == null || m.prices().isEmpty()) {
            throw new IllegalStateException(where + ".prices: at least one price is required");
        }
        List<ModelEntry.PriceEntry> prices = new ArrayList<>();
        for (CatalogProperties.Price p : m.prices()) {
            if (p.effectiveFrom() == null) {
                throw new IllegalStateException(where + ".prices: every price needs effective-from");
            }
            if (type == ModelEntry.Type.EMBEDDING) {
                prices.add(new ModelEntry.PriceEntry(p.effectiveFrom(), new ChatPrice(
                        Credits.parse(require(p.inputPerMillion(), where + ".prices.input-per-million")),
                        Credits.ZERO), null));
            } else if (type == ModelEntry.Type.CHAT) {
                prices.add(new ModelEntry.PriceEntry(p.effectiveFrom(), new ChatPrice(
                        Credits.parse(require(p.inputPerMillion(), where + ".prices.input-per-million")),
                        Credits.parse(require(p.outputPerMillion(), where + ".prices.output-per-million"))), null));
            } else {
                Map<String, Credits> perImage = new TreeMap<>();
                for (String size : image.sizes()) {
                    String price = p.perImage() == null ? null : p.perImage().get(size);
                    perImage.put(size, Credits.parse(require(price, where + ".prices.per-image." + size)));
                }
                prices.add(new ModelEntry.PriceEntry(p.effectiveFrom(), null, Map.copyOf(perImage)));
            }
        }
        prices.sort(Comparator.comparing(ModelEntry.PriceEntry::effectiveFrom));
        return new ModelEntry(id, type, orDefault(m.ownedBy(), "pictura"), upstreams, chat, image, embedding,
                List.copyOf(prices));
    }

    /**
     * The model's upstreams, lowest priority first (the order of the catalog within a priority): {@code upstreams}
     * if given, else the one {@code provider}.
     */
    private static List<ModelEntry.Upstream> upstreams(String id, CatalogProperties.Model m,
                                                       Map<String, ProviderEntry> providers) {
        String where = "models." + id;
        List<CatalogProperties.Upstream> listed = m.upstreams() == null || m.upstreams().isEmpty()
                ? List.of(new CatalogProperties.Upstream(require(m.provider(), where + ".provider"),
                m.upstreamModel(), 1, 1))
                : m.upstreams();
        List<ModelEntry.Upstream> upstreams = new ArrayList<>();
        for (CatalogProperties.Upstream u : listed) {
            ProviderEntry provider = providers.get(require(u.provider(), where + ".upstreams.provider"));
            if (provider == null) {
                throw new IllegalStateException(where + " names no provider: " + u.provider());
            }
            int weight = orDefault(u.weight(), 1);
            if (weight < 1) {
                throw new IllegalStateException(where + ".upstreams." + u.provider() + ".weight must be at least 1");
            }
            if (upstreams.stream().anyMatch(known -> known.name().equals(provider.name()))) {
                throw new IllegalStateException(where + " lists provider " + u.provider() + " twice");
            }
            upstreams.add(new ModelEntry.Upstream(provider, orDefault(u.upstreamModel(), id),
                    orDefault(u.priority(), 1), weight));
        }
        upstreams.sort(Comparator.comparingInt(ModelEntry.Upstream::priority));
        return List.copyOf(upstreams);
    }

    private static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("catalog: " + what + " is required");
        }
        return value;
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
