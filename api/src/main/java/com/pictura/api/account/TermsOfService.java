package com.pictura.api.account;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.pictura.api.security.Secrets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The Terms of Service people accept when they sign up: the bundled text, or the operator's file
 * ({@code pictura.terms.file}), read once at start so that a missing file stops the application instead of
 * serving no terms. The version is the operator's ({@code pictura.terms.version}) or else a digest of the text,
 * so any edit of the text is a new version and the one each account accepted stays identifiable.
 */
@Component
public class TermsOfService {

    static final String BUNDLED = "/terms/terms-of-service.md";

    private final String text;
    private final String version;

    public TermsOfService(@Value("${pictura.terms.file:}") String file,
                          @Value("${pictura.terms.version:}") String version) {
        this.text = file.isBlank() ? bundled() : read(Path.of(file));
        if (text.isBlank()) {
            throw new IllegalStateException("The Terms of Service file is empty: " + file);
        }
        this.version = version.isBlank() ? "sha256:" + Secrets.sha256(text).substring(0, 12) : version.strip();
        if (this.version.length() > 64) {
            throw new IllegalStateException("pictura.terms.version is longer than 64 characters");
        }
    }

    public String text() {
        return text;
    }

    public String version() {
        return version;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Terms of Service (pictura.terms.file): " + file, e);
        }
    }

    private static String bundled() {
        try (InputStream in = TermsOfService.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("The bundled Terms of Service are missing: " + BUNDLED);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
