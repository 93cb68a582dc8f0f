package com.pictura.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.pictura.PicturaApplication;
import com.pictura.api.Http;
import com.pictura.api.Mailbox;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletCommand.AdjustCredits;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two nodes of the application on one PostgreSQL, each with its own aggregate cache: calls on the same wallets,
 * alternating between the nodes, never see a stale cache (no 409), never overdraw, and every hold is settled
 * exactly once.
 */
class TwoNodesTest {

    private static final String MODEL = "llama-3.3-70b-instruct";
    /** About 2 credits held per call (at 40 credits per million output tokens); each call uses far less. */
    private static final int MAX_TOKENS = 50_000;

    // Both nodes use the test configuration's embedded PostgreSQL: one per JVM, so the same one.
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private static List<Http> nodes;

    @BeforeAll
    static void startTwoNodes() {
        first = start("node-1");
        second = start("node-2");
        nodes = List.of(http(first), http(second));
    }

    @AfterAll
    static void stopThem() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void aWalletUsedInTurnOnEachNodeIsRefusedOnlyWhenItLacksCredits() {
        // Three credits: room for one hold of about two at a time, and each call uses far less.
        Wallet wallet = wallet(nodes.get(0), first.getBean(CommandGateway.class), Credits.of(3));
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(call(nodes.get(i % 2), wallet.key(), false));
            // Settled (by the node that made the call) before the next call.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(settlements(jdbc, List.of(wallet.walletId())))
                            .containsOnlyKeys(holds(jdbc, List.of(wallet.walletId()))).doesNotContainValue(0L));
        }

        assertThat(statuses).as("calls alternating between the nodes").containsOnly(200);
    }

    @Test
    void callsOnSharedWalletsSpreadOverTwoNodesAreAnsweredSettledOnceAndNeverOverdraw() throws Exception {
        {
            List<Wallet> wallets = new ArrayList<>();
            // Room for two holds at a time, one, and two: concurrent calls beyond that are refused with 402.
            for (String available : List.of("5", "3", "5")) {
                wallets.add(wallet(nodes.get(0), first.getBean(CommandGateway.class), Credits.parse(available)));
            }

            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                Http node = nodes.get(i % 2);
                Wallet wallet = wallets.get(i % wallets.size());
                boolean stream = (i / 2) % 2 == 1;
                calls.add(() -> call(node, wallet.key(), stream));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Integer> statuses = new ArrayList<>();
            try {
                for (Future<Integer> status : pool.invokeAll(calls)) {
                    statuses.add(status.get());
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(statuses).as("no stale cache reaches a client").containsOnly(200, 402).contains(200);
            System.out.println("TwoNodesTest statuses: " + statuses);
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            List<String> ids = wallets.stream().map(Wallet::walletId).toList();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(settlements(jdbc, ids)).as("settlements per hold")
                            .containsOnlyKeys(holds(jdbc, ids)).doesNotContainValue(0L));
            assertThat(settlements(jdbc, ids).values()).as("every hold settled exactly once").containsOnly(1L);
            // The balances read model may lag behind the event store: wait for every wallet's row, then nothing held.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(jdbc.sql("select count(*) from wallet_balances where wallet_id in (:ids)")
                        .param("ids", ids).query(Long.class).single()).isEqualTo(ids.size());
                assertThat(jdbc.sql("select coalesce(sum(reserved), 0) from wallet_balances where wallet_id in (:ids)")
                        .param("ids", ids).query(Long.class).single()).isZero();
            });
            assertThat(jdbc.sql("""
                    select count(*) from ledger_lines
                    where wallet_id in (:ids) and promotional_after + paid_after < 0""")
                    .param("ids", ids).query(Long.class).single()).as("ledger lines below zero").isZero();
            assertThat(jdbc.sql("select min(promotional + paid) from wallet_balances where wallet_id in (:ids)")
                    .param("ids", ids).query(Long.class).single()).as("lowest balance").isGreaterThanOrEqualTo(0L);
        }
    }

    @Test
    void aKeysSpendingLimitHoldsWhenItsCallsArriveAtBothNodesAtOnce() throws Exception {
        Wallet wallet = wallet(nodes.get(0), first.getBean(CommandGateway.class), Credits.of(20));
        var limited = nodes.get(0).put("/api/keys/" + wallet.keyId() + "/limits", wallet.session(),
                Map.of("lifetimeCreditLimit", "1.00"));
        assertThat(limited.status()).as(limited.body()).isEqualTo(200);
        String image = Http.json(Map.of("model", "flux-schnell", "prompt", "a lighthouse", "size", "256x256"));

        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Http node = nodes.get(i % 2);
            calls.add(() -> node.post("/v1/images/generations", wallet.key(), image).status());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        try {
            for (Future<Integer> status : pool.invokeAll(calls)) {
                statuses.merge(status.get(), 1, Integer::sum);
            }
        } finally {
            pool.shutdownNow();
        }

        // 1.00 at 0.08 an image: twelve, whichever node each call reached.
        assertThat(statuses).isEqualTo(Map.of(200, 12, 402, 28));
    }

    private record Wallet(String walletId, String key, String keyId, String session) {
    }

    /** A new account on {@code node} with an API key, its wallet set to {@code available} credits. */
    private static Wallet wallet(Http node, CommandGateway commands, Credits available) {
        String email = "two-nodes-" + UUID.randomUUID() + "@example.com";
        String password = "correct horse battery staple";
        var created = node.post("/api/accounts", null, Map.of("email", email, "password", password, "ageConfirmed", true, "termsAccepted", true));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var session = node.post("/api/session", null, Map.of("email", email, "password", password));
        assertThat(session.status()).as(session.body()).isEqualTo(200);
        Mailbox.verifyEmail(node, session.json().get("token").asString());
        var issued = node.post("/api/keys", session.json().get("token").asString(), Map.of("name", "two nodes"));
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        WalletId wallet = WalletId.of(new AccountId(created.json().get("id").asString()));
        commands.sendAndWait(new AdjustCredits(wallet, "adj_" + UUID.randomUUID(), available.minus(Credits.of(25)),
                "two-node test setup", "T-2", Actor.staff("acct_test")));
        return new Wallet(wallet.value(), issued.json().get("key").asString(), issued.json().get("id").asString(),
                session.json().get("token").asString());
    }

    private static int call(Http node, String key, boolean stream) {
        Map<String, Object> body = new HashMap<>(Map.of("model", MODEL, "max_tokens", MAX_TOKENS,
                "messages", List.of(Map.of("role", "user", "content", "Describe a lighthouse at dusk."))));
        if (stream) {
            body.put("stream", true);
        }
        var response = node.post("/v1/chat/completions", key, body);
        if (response.status() == 200 && stream) {
            assertThat(response.body()).as("a complete stream").contains("data: [DONE]");
        }
        return response.status();
    }

    /** The reservation ids of the wallets' holds, as the event store has them. */
    private static List<String> holds(JdbcClient jdbc, List<String> walletIds) {
        return jdbc.sql("""
                select convert_from(payload, 'UTF8')::jsonb ->> 'reservationId' from domain_event_entry
                where aggregate_identifier in (:ids) and payload_type like '%CreditsReserved'""")
                .param("ids", walletIds).query(String.class).list();
    }

    /** For each hold, how many charges and releases settled it. */
    private static Map<String, Long> settlements(JdbcClient jdbc, List<String> walletIds) {
        Map<String, Long> settled = new HashMap<>();
        jdbc.sql("""
                select r.id, count(s.id) from
                    (select convert_from(payload, 'UTF8')::jsonb ->> 'reservationId' as id from domain_event_entry
                     where aggregate_identifier in (:ids) and payload_type like '%CreditsReserved') r
                full join
                    (select convert_from(payload, 'UTF8')::jsonb ->> 'reservationId' as id from domain_event_entry
                     where aggregate_identifier in (:ids)
                       and (payload_type like '%UsageCharged' or payload_type like '%ReservationReleased')) s
                    on s.id = r.id
                group by r.id, s.id""")
                .param("ids", walletIds)
                .query((row, n) -> Map.entry(String.valueOf(row.getString(1)), row.getLong(2)))
                .list().forEach(entry -> settled.merge(entry.getKey(), entry.getValue(), Long::sum));
        return settled;
    }

    /**
     * A node: the whole application on a random port, with the test configuration; command-line arguments (which
     * outrank application.yml) give the simulated provider time for the first calls on a cold JVM.
     */
    private static ConfigurableApplicationContext start(String name) {
        return new SpringApplicationBuilder(PicturaApplication.class, NodeName.class).run("--server.port=0",
                "--test.node-name=" + name,
                "--pictura.catalog.providers.simulator.first-byte-timeout=PT10S",
                "--pictura.catalog.providers.simulator.total-timeout=PT20S");
    }

    /**
     * Axon names a token's owner after the JVM ({@code pid@host}); two nodes in one JVM would both believe they
     * hold every segment's claim and process each event twice. Separate JVMs have separate names.
     */
    @Configuration(proxyBeanMethods = false)
    static class NodeName {
        @Bean
        TokenStore tokenStore(Serializer serializer, EntityManagerProvider entityManagerProvider,
                              TokenStoreProperties properties, @Value("${test.node-name}") String name) {
            return JpaTokenStore.builder()
                    .entityManagerProvider(entityManagerProvider)
                    .serializer(serializer)
                    .claimTimeout(properties.getClaimTimeout())
                    .nodeId(name)
                    .build();
        }
    }

    private static Http http(ConfigurableApplicationContext node) {
        return new Http(((WebServerApplicationContext) node).getWebServer().getPort());
    }
}
