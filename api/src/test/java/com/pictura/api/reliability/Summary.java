package com.pictura.api.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The one line per run that docs/reliability.md quotes: printed, and kept in target/reliability/summary.txt. */
final class Summary {

    private Summary() {
    }

    static void write(String line) {
        System.out.println("RELIABILITY " + line);
        try {
            Path file = Path.of("target", "reliability", "summary.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
