package com.pictura.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import com.pictura.api.Http;
import com.pictura.api.IntegrationTest;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletCommand.AdjustCredits;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One wallet, 200 image requests at the same moment, credits for exactly 50: exactly 50 are served, the others
 * refused with 402, the balance never goes below zero, and the charges add up to the balance's drop.
 */
class OneWalletRaceTest extends IntegrationTest {

    private static final int REQUESTS = 200;
    private static final int AFFORDABLE = 50;
    /** flux-schnell at 256x256 (gateway.yml): the smallest image, so 50 at once stay within the test timeouts. */
    private static final Credits PRICE = Credits.parse("0.08");

    @Autowired
    CommandGateway commands;

    @Test
    void twoHundredConcurrentCallsOnCreditsForFiftyServeExactlyFifty() throws Exception {
        Person person = signUp("race");
        var key = http.post("/api/keys", person.session(), Map.of("name", "race"));
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        WalletId wallet = WalletId.of(new com.pictura.domain.account.AccountId(person.accountId()));
        LedgerAudit ledger = new LedgerAudit(jdbc);
        await().atMost(Duration.ofSeconds(20)).until(() -> !ledger.audit(List.of(wallet.value())).readModel().isEmpty());
        Credits start = PRICE.times(AFFORDABLE);
        commands.sendAndWait(new AdjustCredits(wallet, "adj_" + UUID.randomUUID(), start.minus(Credits.of(25)),
                "race test setup", "T-12", Actor.staff("acct_test")));

        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(32)).build();
        String body = Http.json(Map.of("model", "flux-schnell", "prompt", "a lighthouse", "size", "256x256", "n", 1));
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/images/generations"))
                    .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + key.json().get("key").asString())
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (CompletableFuture<Integer> call : calls) {
            statuses.merge(call.get(), 1, Integer::sum);
        }

        assertThat(statuses).as("answers").isEqualTo(Map.of(200, AFFORDABLE, 402, REQUESTS - AFFORDABLE));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(ledger.audit(List.of(wallet.value())).mismatches()).isEmpty());
        LedgerAudit.Report report = ledger.audit(List.of(wallet.value()));
        assertThat(report.open()).as("holds left open").isEmpty();
        assertThat(report.settledTwice()).as("holds settled twice").isEmpty();
        assertThat(report.totalCharged()).as("charges").isEqualTo(start);
        var left = report.recomputed().get(wallet.value());
        assertThat(left.promotional().plus(left.paid())).as("balance after").isEqualTo(Credits.ZERO);
        assertThat(jdbc.sql("select count(*) from ledger_lines where wallet_id = ? and promotional_after + paid_after < 0")
                .param(wallet.value()).query(Long.class).single()).as("ledger lines below zero").isZero();
        Summary.write(report.summary("one-wallet-race", 0, REQUESTS) + " statuses=" + statuses);
    }
}
