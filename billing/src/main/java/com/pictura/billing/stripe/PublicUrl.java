package com.pictura.billing.stripe;

import java.net.URI;
import java.util.Locale;

import com.pictura.billing.BillingProperties;
import org.springframework.stereotype.Component;

/**
 * Where people reach Pictura ({@code pictura.billing.public-url}, {@code PICTURA_PUBLIC_URL}): the base of every
 * link Pictura hands out (Stripe's return URLs, the simulator's hosted page, image links). Never taken from a
 * request's {@code Host} header, which the client chooses. Blank means this server on loopback (the embedded
 * default).
 */
@Component
public class PublicUrl {

    private final String configured;
    private final LocalServer server;

    public PublicUrl(BillingProperties properties, LocalServer server) {
        String url = properties.publicUrl();
        this.configured = url == null || url.isBlank() ? null : url.strip().replaceAll("/+$", "");
        if (configured != null) {
            URI parsed = URI.create(configured);
            if (!("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme())) || parsed.getHost() == null
                    || parsed.getRawQuery() != null || parsed.getRawFragment() != null || parsed.getRawUserInfo() != null) {
                throw new IllegalArgumentException("pictura.billing.public-url (PICTURA_PUBLIC_URL) must be an "
                        + "http(s) URL without query, fragment or user info, e.g. https://pictura.example");
            }
        }
        this.server = server;
    }

    /** {@code https://pictura.example}, or {@code http://127.0.0.1:PORT}; never with a trailing slash. */
    public String base() {
        return configured != null ? configured : server.baseUrl();
    }

    /**
     * Whether {@code url} points into Pictura: same scheme, host and port as {@link #base()} and a path under its
     * path. A prefix test on the text would let {@code https://pictura.example.evil.test} or
     * {@code https://pictura.example@evil.test} through.
     */
    public boolean covers(String url) {
        if (url == null) {
            return false;
        }
        URI candidate;
        try {
            candidate = URI.create(url.replace("{CHECKOUT_SESSION_ID}", "CHECKOUT_SESSION_ID"));
        } catch (IllegalArgumentException e) {
            return false;
        }
        URI base = URI.create(base());
        String path = candidate.getRawPath() == null ? "" : candidate.getRawPath();
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        return base.getScheme().equalsIgnoreCase(String.valueOf(candidate.getScheme()))
                && candidate.getRawUserInfo() == null
                && candidate.getHost() != null
                && base.getHost().toLowerCase(Locale.ROOT).equals(candidate.getHost().toLowerCase(Locale.ROOT))
                && port(base) == port(candidate)
                && (basePath.isEmpty() || path.equals(basePath) || path.startsWith(basePath + "/"))
                && !path.contains("/../") && !path.endsWith("/..");
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
