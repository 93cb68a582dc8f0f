package com.pictura.api.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.pictura.api.SentSecrets;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Looks for secrets and people's content where they must never be at rest: in logs and in every column of every
 * table (binary columns read as escaped bytes, so stored payloads are covered too). Secrets are stored only as
 * hashes and kept results only encrypted (docs/privacy.md), so a plain-text find is a leak.
 *
 * <p>Two kinds of needle: any API key secret or session token by its shape (whoever's it is), and given strings
 * (passwords, prompts, outputs), found by their first {@link SentSecrets#MIN_LENGTH} characters and then compared
 * whole, so thousands of them cost one pass over the text.
 */
final class SecretsScan {

    /** {@code pk_} and {@code ps_} followed by 43 base62 characters: a key secret, a session token. */
    private static final Pattern SECRET_SHAPE = Pattern.compile("(?<![0-9A-Za-z])p[ks]_[0-9A-Za-z]{43}(?![0-9A-Za-z])");
    /**
     * {@code ev_} and 43 base62 characters: an email verification token. Never in a log; in a table only as the
     * text of a mail in the built-in outbox, which is the mailbox itself.
     */
    private static final Pattern LOG_ONLY_SHAPE = Pattern.compile("(?<![0-9A-Za-z])ev_[0-9A-Za-z]{43}(?![0-9A-Za-z])");
    private static final int PREFIX = SentSecrets.MIN_LENGTH;

    private final Map<String, List<String>> byPrefix = new HashMap<>();

    SecretsScan(Collection<String> needles) {
        needles.stream().filter(n -> n.length() >= PREFIX).distinct()
                .forEach(n -> byPrefix.computeIfAbsent(n.substring(0, PREFIX), p -> new ArrayList<>()).add(n));
    }

    List<String> inLogs(Collection<Path> logs) {
        List<String> found = new ArrayList<>();
        for (Path log : logs) {
            try {
                String text = Files.readString(log);
                find(text).forEach(n -> found.add(log.getFileName() + ": " + shorten(n)));
                Matcher token = LOG_ONLY_SHAPE.matcher(text);
                while (token.find()) {
                    found.add(log.getFileName() + ": " + shorten(token.group()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    List<String> inTables(JdbcClient jdbc) {
        List<String> found = new ArrayList<>();
        var columns = jdbc.sql("""
                        select table_name, column_name, data_type from information_schema.columns
                         where table_schema = 'public' and data_type in ('text', 'character varying', 'bytea', 'jsonb', 'json', 'oid')""")
                .query((row, n) -> new String[] {row.getString(1), row.getString(2), row.getString(3)}).list();
        for (String[] column : columns) {
            String value = switch (column[2]) {
                case "bytea" -> "encode(\"" + column[1] + "\", 'escape')";
                case "oid" -> "encode(lo_get(\"" + column[1] + "\"), 'escape')";
                default -> "\"" + column[1] + "\"::text";
            };
            Map<String, Integer> hits = new HashMap<>();
            jdbc.sql("select " + value + " from \"" + column[0] + "\" where \"" + column[1] + "\" is not null")
                    .query((row, n) -> row.getString(1)).list()
                    .forEach(text -> find(text).forEach(needle -> hits.merge(needle, 1, Integer::sum)));
            hits.forEach((needle, rows) ->
                    found.add(column[0] + "." + column[1] + ": " + shorten(needle) + " in " + rows + " rows"));
        }
        return found;
    }

    /** The needles in {@code text}. */
    Set<String> find(String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher shape = SECRET_SHAPE.matcher(text);
        while (shape.find()) {
            found.add(shape.group());
        }
        for (int i = 0; i + PREFIX <= text.length(); i++) {
            List<String> candidates = byPrefix.get(text.substring(i, i + PREFIX));
            if (candidates != null) {
                for (String needle : candidates) {
                    if (text.startsWith(needle, i)) {
                        found.add(needle);
                    }
                }
            }
        }
        return found;
    }

    private static String shorten(String secret) {
        return secret.substring(0, Math.min(8, secret.length())) + "…";
    }
}
