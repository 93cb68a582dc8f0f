package com.pictura.api.database;

import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Points the application at an embedded PostgreSQL when no database is configured.
 *
 * <p>Runs after the configuration files are read, so {@code SPRING_DATASOURCE_URL} (or
 * {@code spring.datasource.url}) anywhere turns the embedded database off, as does
 * {@code pictura.embedded-postgres.enabled=false}.
 */
public class EmbeddedPostgresEnvironment implements EnvironmentPostProcessor, Ordered {

    public static final String PROPERTY_SOURCE = "pictura-embedded-postgres";

    private final Log log;

    public EmbeddedPostgresEnvironment(DeferredLogFactory logs) {
        this.log = logs.getLog(EmbeddedPostgresEnvironment.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (StringUtils.hasText(env.getProperty("spring.datasource.url"))
                || !env.getProperty("pictura.embedded-postgres.enabled", Boolean.class, true)) {
            return;
        }
        Path dataDirectory = dataDirectory(env);
        String url = EmbeddedPostgres.jdbcUrl(dataDirectory,
                env.getProperty("pictura.embedded-postgres.durable", Boolean.class, true));
        log.info("Embedded PostgreSQL at " + url + ", data in "
                + (dataDirectory == EmbeddedPostgres.TEMPORARY ? "a temporary directory" : dataDirectory.toAbsolutePath()));
        env.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, Map.of(
                "spring.datasource.url", url,
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "postgres")));
    }

    /** The configured directory, or a throw-away one when the property is set but empty (tests). */
    private static Path dataDirectory(ConfigurableEnvironment env) {
        String dir = env.getProperty("pictura.embedded-postgres.data-dir", "data/postgres");
        return StringUtils.hasText(dir) ? Path.of(dir) : EmbeddedPostgres.TEMPORARY;
    }

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

}
