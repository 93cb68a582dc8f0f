package com.pictura.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pictura.api.Http;
import com.pictura.api.axon.AxonInfrastructure;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletEvent.CreditsGranted;
import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import com.pictura.domain.wallet.WalletEvent.WalletOpened;
import com.pictura.domain.wallet.WalletId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An auditor replays the balance read model over a history of 100,000 events, in a node of its own on its own
 * database, and follows the replay: progress is reported while it runs (a percentage below 100, events per
 * second, an expected finish), and at the end every balance is what the events say.
 */
class ReplayProgressTest {

    private static final int WALLETS = 1_000;
    private static final int EVENTS_PER_WALLET = 100; // opened, granted, then 49 holds each charged
    private static final ObjectMapper AXON = AxonInfrastructure.eventMapper();

    @Test
    void progressIsReportedWhileAHundredThousandEventsReplay() throws Exception {
        ScratchDatabase db = ScratchDatabase.create("replay");
        try (AppProcess node = AppProcess.start("replay", db.jdbcUrl(), AppProcess.SHORT_HOLDS)) {
            List<String> wallets = generate(db.jdbcUrl());
            Http http = node.http();
            String admin = "first-admin@pictura.test"; // every staff role, from the test configuration
            http.post("/api/accounts", null, Map.of("email", admin, "password", Load.PASSWORD, "ageConfirmed", true, "termsAccepted", true));
            String session = http.post("/api/session", null, Map.of("email", admin, "password", Load.PASSWORD))
                    .json().get("token").asString();

            var started = http.post("/audit/replays/balances", session, Map.of("reason", "audit of the ledger"));
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            assertThat(started.json().get("head").asLong()).isGreaterThanOrEqualTo((long) WALLETS * EVENTS_PER_WALLET);

            List<JsonNode> readings = new ArrayList<>();
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250)).until(() -> {
                JsonNode reading = http.get("/audit/replays/balances", session).json();
                readings.add(reading);
                return reading.get("state").asString().equals("done");
            });
            JsonNode progress = readings.get(readings.size() - 1);

            assertThat(progress.get("state").asString()).isEqualTo("done");
            assertThat(progress.get("percent").asDouble()).isEqualTo(100.0);
            assertThat(readings).as("readings while it ran").anySatisfy(r -> {
                assertThat(r.get("state").asString()).isEqualTo("running");
                assertThat(r.get("percent").asDouble()).isBetween(0.0, 99.9);
                assertThat(r.get("eventsPerSecond").asDouble()).isPositive();
                assertThat(r.get("expectedFinish").isNull()).isFalse();
            });
            // 25 + 1,000 granted, 49 charges of 0.001: every balance as the events say, after the replay.
            long exact = db.jdbc().sql("select count(*) from wallet_balances where wallet_id in (:ids) "
                            + "and promotional = :expected and reserved = 0").param("ids", wallets)
                    .param("expected", Credits.of(1_000).minus(Credits.ofMicros(49 * 1_000)).micros())
                    .query(Long.class).single();
            assertThat(exact).isEqualTo(WALLETS);
            Summary.write("replay-progress events=" + progress.get("head").asLong() + " readings=" + readings.size()
                    + " rate=" + readings.get(readings.size() / 2).get("eventsPerSecond").asDouble() + "/s");
        }
    }

    /** The history, written as Axon's storage engine writes it, one batch of rows per transaction. */
    private static List<String> generate(String jdbcUrl) throws Exception {
        List<String> wallets = new ArrayList<>();
        List<ReservationId> holds = new ArrayList<>();
        for (int w = 0; w < WALLETS; w++) {
            wallets.add(WalletId.of(AccountId.generate()).value());
            holds.add(null);
        }
        byte[] meta = AXON.writeValueAsBytes(Map.of("actor", "system:pictura"));
        Instant expires = Instant.now().plus(Duration.ofDays(1));
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres")) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("insert into domain_event_entry (global_index, "
                    + "event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type, "
                    + "payload_revision, payload, meta_data) values (nextval('domain_event_entry_global_index_seq'), "
                    + "?, ?, ?, 'CreditWallet', ?, ?, '1', ?, ?)")) {
                for (int seq = 0; seq < EVENTS_PER_WALLET; seq++) {
                    for (int w = 0; w < WALLETS; w++) {
                        WalletId wallet = new WalletId(wallets.get(w));
                        Object event;
                        if (seq == 0) {
                            event = new WalletOpened(wallet, new AccountId("acct_" + wallet.value().substring(4)));
                        } else if (seq == 1) {
                            event = new CreditsGranted(wallet, "grant_" + w, Credits.of(1_000), "replay test");
                        } else if (seq % 2 == 0) {
                            holds.set(w, ReservationId.generate());
                            event = new CreditsReserved(wallet, holds.get(w), Credits.ofMicros(2_000),
                                    Credits.ofMicros(2_000), Credits.ZERO, "key_replay", "llama-3.1-8b-instruct", expires);
                        } else {
                            event = new UsageCharged(wallet, holds.get(w), Credits.ofMicros(1_000),
                                    Credits.ofMicros(1_000), Credits.ZERO, Credits.ofMicros(2_000), Credits.ZERO,
                                    new Usage(10, 16, 0, 1));
                        }
                        insert.setString(1, UUID.randomUUID().toString());
                        insert.setString(2, wallet.value());
                        insert.setLong(3, seq);
                        insert.setString(4, Instant.now().toString());
                        insert.setString(5, event.getClass().getName());
                        insert.setBytes(6, AXON.writeValueAsBytes(event));
                        insert.setBytes(7, meta);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    c.commit();
                }
            }
        }
        return wallets;
    }
}
