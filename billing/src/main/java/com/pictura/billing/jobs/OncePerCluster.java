package com.pictura.billing.jobs;

import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Scheduled jobs run on every node, but their work must be done once per cluster: each run first claims its slot
 * (the job's name and the minute it fired in) in {@code job_runs}, and only the node whose insert wins does the
 * work. Nodes fire a schedule within moments of each other, so they compute the same slot; a node that fires
 * late finds the slot taken.
 */
@Component
public class OncePerCluster {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String node;

    public OncePerCluster(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        this.node = host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** True for the one node that gets this run of {@code job}: the minute it fired in, claimed first. */
    public boolean claim(String job) {
        return claim(job, clock.instant().truncatedTo(ChronoUnit.MINUTES));
    }

    public boolean claim(String job, Instant slot) {
        return jdbc.sql("insert into job_runs (job, slot, node, claimed_at) values (?, ?, ?, ?) on conflict do nothing")
                .params(job, Timestamp.from(slot), node, Timestamp.from(clock.instant())).update() == 1;
    }
}
