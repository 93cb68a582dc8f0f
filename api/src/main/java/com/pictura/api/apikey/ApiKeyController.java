package com.pictura.api.apikey;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.pictura.api.catalog.Catalog;
import com.pictura.api.security.Caller;
import com.pictura.api.web.ApiException;
import com.pictura.domain.apikey.ApiKeyLimits;
import com.pictura.projections.apikey.ApiKeyRepository;
import com.pictura.projections.apikey.ApiKeyRow;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/keys")
public class ApiKeyController {

    private final ApiKeys apiKeys;
    private final ApiKeyRepository keys;
    private final Catalog catalog;
    private final Clock clock;

    public ApiKeyController(ApiKeys apiKeys, ApiKeyRepository keys, Catalog catalog, Clock clock) {
        this.apiKeys = apiKeys;
        this.keys = keys;
        this.catalog = catalog;
        this.clock = clock;
    }

    public record IssueRequest(String name, KeyLimitsBody limits) {
    }

    /** A key as listed: never the secret. */
    public record Key(String id, String name, String prefix, Instant createdAt, Instant lastUsedAt,
                      Instant revokedAt, boolean active, KeyLimitsBody limits) {
        static Key of(ApiKeyRow row) {
            return new Key(row.keyId(), row.name(), row.prefix(), row.createdAt(), row.lastUsedAt(),
                    row.revokedAt(), row.isActive(), KeyLimitsBody.of(row.limits()));
        }
    }

    /** The answer to issuing: the only time the secret is ever shown. */
    public record IssuedKey(String id, String name, String prefix, Instant createdAt, KeyLimitsBody limits,
                            String key) {
    }

    @PostMapping
    ResponseEntity<IssuedKey> issue(Caller caller, @RequestBody IssueRequest request) {
        if (request == null) {
            throw ApiException.invalid("name", "a JSON body with a name is required");
        }
        ApiKeyLimits limits = request.limits() == null ? ApiKeyLimits.NONE
                : request.limits().toLimits(catalog, clock.instant());
        var issued = apiKeys.issue(caller.accountId(), request.name(), limits, caller.asAccount());
        ApiKeyRow key = issued.key();
        return ResponseEntity.created(URI.create("/api/keys/" + key.keyId()))
                .body(new IssuedKey(key.keyId(), key.name(), key.prefix(), key.createdAt(),
                        KeyLimitsBody.of(key.limits()), issued.secret()));
    }

    /** Replaces the key's limits as a whole: a field left out is no limit of that kind. */
    @PutMapping("/{id}/limits")
    Key limit(Caller caller, @PathVariable String id, @RequestBody KeyLimitsBody request) {
        if (request == null) {
            throw ApiException.invalid("limits", "a JSON body with the key's limits is required ({} for none)");
        }
        return Key.of(apiKeys.limit(caller, id, request.toLimits(catalog, clock.instant())));
    }

    @GetMapping
    List<Key> list(Caller caller) {
        return keys.findByAccountIdOrderByCreatedAtDesc(caller.accountId().value()).stream().map(Key::of).toList();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(Caller caller, @PathVariable String id) {
        apiKeys.revoke(caller, id, "revoked by its owner");
        return ResponseEntity.noContent().build();
    }
}
