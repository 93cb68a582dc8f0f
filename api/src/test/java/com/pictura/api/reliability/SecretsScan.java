package com.pictura.api.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Looks for secrets and people's content where they must never be at rest: in a node's log and in every column
 * of every table (binary columns searched for the bytes, so stored payloads are covered too). Secrets are stored
 * only as hashes and kept results only encrypted (docs/privacy.md), so a plain-text find is a leak.
 */
final class SecretsScan {

    private SecretsScan() {
    }

    static List<String> inLogs(Collection<Path> logs, Collection<String> needles) {
        List<String> found = new ArrayList<>();
        for (Path log : logs) {
            try {
                String text = Files.readString(log);
                needles.stream().filter(text::contains).forEach(n -> found.add(log.getFileName() + ": " + shorten(n)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    static List<String> inTables(JdbcClient jdbc, Collection<String> needles) {
        List<String> found = new ArrayList<>();
        var columns = jdbc.sql("""
                        select table_name, column_name, data_type from information_schema.columns
                         where table_schema = 'public' and data_type in ('text', 'character varying', 'bytea', 'jsonb', 'json', 'oid')""")
                .query((row, n) -> new String[] {row.getString(1), row.getString(2), row.getString(3)}).list();
        for (String[] column : columns) {
            String match = switch (column[2]) {
                case "bytea" -> "position(convert_to(:needle, 'UTF8') in \"" + column[1] + "\") > 0";
                case "oid" -> "position(convert_to(:needle, 'UTF8') in lo_get(\"" + column[1] + "\")) > 0";
                default -> "strpos(\"" + column[1] + "\"::text, :needle) > 0";
            };
            for (String needle : needles) {
                long hits = jdbc.sql("select count(*) from \"" + column[0] + "\" where " + match)
                        .param("needle", needle).query(Long.class).single();
                if (hits > 0) {
                    found.add(column[0] + "." + column[1] + ": " + shorten(needle) + " in " + hits + " rows");
                }
            }
        }
        return found;
    }

    private static String shorten(String secret) {
        return secret.substring(0, Math.min(8, secret.length())) + "…";
    }
}
