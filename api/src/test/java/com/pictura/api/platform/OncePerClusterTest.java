package com.pictura.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import com.pictura.api.IntegrationTest;
import com.pictura.billing.jobs.OncePerCluster;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Scheduled work done once per cluster: nodes claiming the same run of a job at the same moment, each with its own
 * connection to the shared PostgreSQL, get it exactly once; the next run is claimed afresh.
 */
class OncePerClusterTest extends IntegrationTest {

    @Autowired
    OncePerCluster cluster;
    @Autowired
    DataSource dataSource;

    @Test
    void eightNodesClaimingOneRunGetItOnce() throws Exception {
        Instant slot = Instant.parse("2031-01-01T00:17:00Z");
        // Eight claimants as eight nodes would be: each with its own name, all at once.
        List<OncePerCluster> nodes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            nodes.add(new OncePerCluster(JdbcClient.create(dataSource), Clock.systemUTC()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Boolean>> claims = nodes.stream().map(n -> (Callable<Boolean>) () -> n.claim("test-job", slot)).toList();
        long won = 0;
        for (Future<Boolean> claim : pool.invokeAll(claims)) {
            won += claim.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(won).isEqualTo(1);
        assertThat(cluster.claim("test-job", slot.plusSeconds(60))).as("the next run").isTrue();
        assertThat(cluster.claim("another-job", slot)).as("another job's run").isTrue();
    }
}
