package com.pictura.projections.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

public interface ApiKeyRepository extends JpaRepository<ApiKeyRow, String> {

    Optional<ApiKeyRow> findBySecretHash(String secretHash);

    List<ApiKeyRow> findByAccountIdOrderByCreatedAtDesc(String accountId);

    List<ApiKeyRow> findByPrefix(String prefix);

    long countByAccountIdAndRevokedAtIsNull(String accountId);

    /** Coarse on purpose (once a minute per key at most): "last used" must not turn every call into a write. */
    @Modifying
    @Transactional
    @Query("update ApiKeyRow k set k.lastUsedAt = :at where k.keyId = :keyId "
            + "and (k.lastUsedAt is null or k.lastUsedAt < :notBefore)")
    int touch(String keyId, Instant at, Instant notBefore);
}
