package com.pictura.api.account;

import java.nio.charset.StandardCharsets;

import com.pictura.api.web.ApiException;
import com.pictura.api.web.Text;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/** Passwords: checked for length, kept only as BCrypt hashes (slow on purpose), never logged or put in events. */
@Component
public class Passwords {

    static final int MIN_LENGTH = 12;
    /** BCrypt reads at most 72 bytes; longer passwords would be silently truncated, so they are refused. */
    static final int MAX_BYTES = 72;

    private final BCryptPasswordEncoder encoder;
    /** Compared against when an email is unknown, so that a failed sign-in takes as long either way. */
    private final String decoy;

    public Passwords(@Value("${pictura.security.bcrypt-strength:12}") int strength) {
        this.encoder = new BCryptPasswordEncoder(strength);
        this.decoy = encoder.encode("decoy-password-never-matches");
    }

    public String hash(String password) {
        return hash(password, "password");
    }

    /** @param param the request field the password came in, named by a refusal */
    public String hash(String password, String param) {
        Text.secret(password, param);
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw ApiException.invalid(param, param + " must be at least " + MIN_LENGTH + " characters long");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw ApiException.invalid(param, param + " must be at most " + MAX_BYTES + " bytes long");
        }
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            encoder.matches("x", decoy);
            return false;
        }
        return encoder.matches(password, hash == null ? decoy : hash) && hash != null;
    }
}
