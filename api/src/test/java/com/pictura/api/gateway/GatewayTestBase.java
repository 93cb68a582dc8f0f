package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.pictura.api.IntegrationTest;
import com.pictura.api.catalog.Catalog;
import com.pictura.api.simulator.SimulatorController;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.inference.Pricing.ChatPrice;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletCommand.AdjustCredits;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Autowired;

/** What the /v1 tests share: clients with keys, the ledger as the read models show it, prices from the catalog. */
abstract class GatewayTestBase extends IntegrationTest {

    @Autowired
    protected Catalog catalog;
    @Autowired
    protected CommandGateway commands;
    @Autowired
    protected SimulatorController simulator;

    /** An account with a fresh API key. */
    protected record Client(String accountId, String walletId, String key, String session) {
    }

    protected Client client(String name) {
        Person person = signUp(name);
        var issued = http.post("/api/keys", person.session(), Map.of("name", "test key"));
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String walletId = WalletId.of(new com.pictura.domain.account.AccountId(person.accountId())).value();
        return new Client(person.accountId(), walletId, issued.json().get("key").asString(), person.session());
    }

    protected ChatPrice chatPrice(String model) {
        return catalog.find(model).orElseThrow().priceAt(java.time.Instant.now()).chat();
    }

    /** Sets the wallet's available credits to {@code target} with a support adjustment. */
    protected void setAvailable(Client client, Credits target) {
        awaitBalance(client, Credits.of(25));
        commands.sendAndWait(new AdjustCredits(new WalletId(client.walletId()), "adj_" + UUID.randomUUID(),
                target.minus(Credits.of(25)), "test setup", "T-1", Actor.staff("acct_test")));
        awaitBalance(client, target);
    }

    protected Credits available(Client client) {
        return jdbc.sql("select promotional + paid from wallet_balances where wallet_id = ?").param(client.walletId())
                .query(Long.class).optional().map(Credits::ofMicros).orElse(Credits.ZERO);
    }

    protected Credits reserved(Client client) {
        return jdbc.sql("select reserved from wallet_balances where wallet_id = ?").param(client.walletId())
                .query(Long.class).optional().map(Credits::ofMicros).orElse(Credits.ZERO);
    }

    /** Waits until the balance read model shows {@code expected} available and nothing held. */
    protected void awaitBalance(Client client, Credits expected) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(available(client)).isEqualTo(expected);
            assertThat(reserved(client)).isEqualTo(Credits.ZERO);
        });
    }

    /** The kinds of the wallet's ledger lines, oldest first, once {@code count} are there. */
    protected List<String> ledger(Client client, int count) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() ->
                jdbc.sql("select count(*) from ledger_lines where wallet_id = ?").param(client.walletId())
                        .query(Long.class).single() >= count);
        return jdbc.sql("select kind from ledger_lines where wallet_id = ? order by sequence_number")
                .param(client.walletId()).query(String.class).list();
    }

    /**
     * Opens a raw connection and sends a streamed chat request on it, so a test can read as little of the answer
     * as it likes and then reset the connection, as a client that goes away does.
     */
    protected java.net.Socket sendRaw(Client client, Map<String, Object> request) throws java.io.IOException {
        byte[] body = tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsBytes(request);
        java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
        java.io.OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + client.key()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    protected Map<String, Object> chatBody(String model, String prompt, int maxTokens) {
        return Map.of("model", model, "max_tokens", maxTokens,
                "messages", List.of(Map.of("role", "user", "content", prompt)));
    }
}
