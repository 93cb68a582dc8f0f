package com.pictura.api.gateway;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.pictura.api.catalog.Catalog;
import com.pictura.api.catalog.ModelEntry;
import com.pictura.api.web.ApiException;
import com.pictura.domain.wallet.Credits;
import com.pictura.projections.wallet.BalanceRepository;
import com.pictura.projections.wallet.BalanceRow;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models} (the catalog with prices, and announced changes) and {@code GET /v1/credits}. */
@RestController
public class ModelsController {

    private static final long CREATED = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();

    private final Catalog catalog;
    private final BalanceRepository balances;
    private final Clock clock;

    public ModelsController(Catalog catalog, BalanceRepository balances, Clock clock) {
        this.catalog = catalog;
        this.balances = balances;
        this.clock = clock;
    }

    @GetMapping("/v1/models")
    public Map<String, Object> models(KeyCaller caller) {
        Instant now = clock.instant();
        List<Map<String, Object>> data = catalog.all().stream().filter(m -> m.isAvailableAt(now))
                .map(m -> describe(m, now)).toList();
        return Map.of("object", "list", "data", data);
    }

    @GetMapping("/v1/models/{id}")
    public Map<String, Object> model(KeyCaller caller, @PathVariable String id) {
        Instant now = clock.instant();
        return catalog.find(id).filter(m -> m.isAvailableAt(now)).map(m -> describe(m, now))
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "invalid_request_error", "model_not_found",
                        "model", "The model '" + id + "' does not exist."));
    }

    @GetMapping("/v1/credits")
    public Map<String, Object> credits(KeyCaller caller) {
        BalanceRow row = balances.findById(caller.walletId().value()).orElse(null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "credits");
        body.put("available", JsonBodies.number(row == null ? Credits.ZERO : row.available()));
        body.put("reserved", JsonBodies.number(row == null ? Credits.ZERO : row.reserved()));
        body.put("promotional", JsonBodies.number(row == null ? Credits.ZERO : row.promotional()));
        body.put("paid", JsonBodies.number(row == null ? Credits.ZERO : row.paid()));
        return body;
    }

    private static Map<String, Object> describe(ModelEntry model, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", model.id());
        m.put("object", "model");
        m.put("created", CREATED);
        m.put("owned_by", model.ownedBy());
        m.put("type", model.type().name().toLowerCase());
        if (model.chat() != null) {
            m.put("context_length", model.chat().contextLength());
            m.put("default_max_tokens", model.chat().defaultMaxTokens());
            m.put("vision", model.chat().vision());
        }
        if (model.embedding() != null) {
            m.put("dimensions", model.embedding().dimensions());
            m.put("max_input_tokens", model.embedding().maxInputTokens());
        }
        if (model.image() != null) {
            m.put("sizes", model.image().sizes());
            m.put("default_size", model.image().defaultSize());
            m.put("default_steps", model.image().defaultSteps());
            m.put("max_steps", model.image().maxSteps());
            m.put("max_n", model.image().maxN());
            m.put("supports_negative_prompt", model.image().supportsNegativePrompt());
        }
        m.put("pricing", pricing(model, model.priceAt(now)));
        model.nextPriceAfter(now).ifPresent(next -> m.put("upcoming_pricing", pricing(model, next)));
        return m;
    }

    /** Prices in credits: per million tokens, or per image by size at the default steps (linear in steps). */
    private static Map<String, Object> pricing(ModelEntry model, ModelEntry.PriceEntry price) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("currency", "credits");
        p.put("effective_from", price.effectiveFrom().toString());
        if (price.chat() != null) {
            p.put("input_per_million_tokens", JsonBodies.number(price.chat().inputPerMillion()));
            if (model.type() != ModelEntry.Type.EMBEDDING) {
                p.put("output_per_million_tokens", JsonBodies.number(price.chat().outputPerMillion()));
            }
        }
        if (price.perImage() != null) {
            Map<String, Object> perImage = new LinkedHashMap<>();
            price.perImage().forEach((size, credits) -> perImage.put(size, JsonBodies.number(credits)));
            p.put("per_image", perImage);
        }
        return p;
    }
}
