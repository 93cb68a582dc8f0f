package com.pictura.api.apikey;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import com.pictura.api.security.Caller;
import com.pictura.api.web.ApiException;
import com.pictura.projections.apikey.ApiKeyRepository;
import com.pictura.projections.apikey.ApiKeyRow;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/keys")
public class ApiKeyController {

    private final ApiKeys apiKeys;
    private final ApiKeyRepository keys;

    public ApiKeyController(ApiKeys apiKeys, ApiKeyRepository keys) {
        this.apiKeys = apiKeys;
        this.keys = keys;
    }

    public record IssueRequest(String name) {
    }

    /** A key as listed: never the secret. */
    public record Key(String id, String name, String prefix, Instant createdAt, Instant lastUsedAt,
                      Instant revokedAt, boolean active) {
        static Key of(ApiKeyRow row) {
            return new Key(row.keyId(), row.name(), row.prefix(), row.createdAt(), row.lastUsedAt(),
                    row.revokedAt(), row.isActive());
        }
    }

    /** The answer to issuing: the only time the secret is ever shown. */
    public record IssuedKey(String id, String name, String prefix, Instant createdAt, String key) {
    }

    @PostMapping
    ResponseEntity<IssuedKey> issue(Caller caller, @RequestBody IssueRequest request) {
        if (request == null) {
            throw ApiException.invalid("name", "a JSON body with a name is required");
        }
        var issued = apiKeys.issue(caller.accountId(), request.name(), caller.asAccount());
        ApiKeyRow key = issued.key();
        return ResponseEntity.created(URI.create("/api/keys/" + key.keyId()))
                .body(new IssuedKey(key.keyId(), key.name(), key.prefix(), key.createdAt(), issued.secret()));
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
