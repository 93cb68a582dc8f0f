package com.pictura.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.pictura.domain.id.Ids;

/** Random bearer secrets (API keys, session tokens) and the only form in which they are stored: SHA-256. */
public final class Secrets {

    private Secrets() {
    }

    /** {@code prefix} + 43 base62 characters: 256 bits of randomness. */
    public static String generate(String prefix) {
        return Ids.random(prefix, 43);
    }

    /**
     * SHA-256, hex. A fast hash is right here, unlike for passwords: the secrets are long and random, so there is
     * nothing to guess, and the lookup runs on every request.
     */
    public static String sha256(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
