package com.pictura.api.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pictura.api.IntegrationTest;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.CreditWallet;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletBalance;
import com.pictura.domain.wallet.WalletCommand.CommitCharge;
import com.pictura.domain.wallet.WalletCommand.OpenWallet;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

/** A long-lived wallet is snapshotted, and a wallet loaded from its snapshot has exactly the same state. */
class SnapshotTest extends IntegrationTest {

    @Autowired
    CommandGateway commands;
    @Autowired
    EventStore eventStore;
    @Autowired
    TransactionManager transactions;
    @Autowired
    @Qualifier("defaultAxonObjectMapper")
    ObjectMapper axonJson;

    @Test
    void aWalletWithAHundredEventsIsLoadedFromItsSnapshotWithTheSameState() throws Exception {
        AccountId account = AccountId.generate();
        WalletId wallet = WalletId.of(account);
        commands.sendAndWait(new OpenWallet(wallet, account, Credits.of(1000), Actor.SYSTEM));
        WalletBalance last = null;
        for (int i = 0; i < 60; i++) {
            ReservationId hold = ReservationId.generate();
            commands.sendAndWait(new ReserveCredits(wallet, hold, Credits.of(3), "key_s", "sdxl",
                    Instant.now().plusSeconds(600), Actor.SYSTEM));
            last = commands.sendAndWait(new CommitCharge(wallet, hold, Credits.parse("1.25"), Usage.NONE,
                    Instant.now(), Actor.SYSTEM));
        }

        // Snapshots are taken off the command thread, soon after the triggering command.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                jdbc.sql("select count(*) from snapshot_event_entry where aggregate_identifier = ?")
                        .param(wallet.value()).query(Long.class).single()).isEqualTo(1L));
        // The snapshot carries the aggregate's revision, so a later shape can tell it apart.
        assertThat(jdbc.sql("select payload_revision from snapshot_event_entry where aggregate_identifier = ?")
                .param(wallet.value()).query(String.class).single())
                .isEqualTo(CreditWallet.class.getAnnotation(Revision.class).value());
        assertThat(last.available()).isEqualTo(Credits.of(1000).minus(Credits.parse("75")));

        // An uncached repository reads the snapshot and the events after it, as a node without the cache would.
        JsonNode state = loadUncached(wallet);

        assertThat(state.get("promotional").asLong()).isEqualTo(last.promotional().micros());
        assertThat(state.get("paid").asLong()).isEqualTo(last.paid().micros());
        assertThat(state.get("reserved").asLong()).isZero();
        assertThat(state.get("reservations").size()).isEqualTo(60);
    }

    @Test
    void aSnapshotOfAnotherRevisionIsIgnoredAndTheWalletRebuiltFromItsEvents() throws Exception {
        WalletId wallet = walletWithSomeHistory();
        // An empty wallet of an older (unrevisioned) shape, claiming to be the wallet as of its latest event.
        writeSnapshot(wallet, 2, null, "{\"walletId\":\"" + wallet.value() + "\",\"credits\":0}");
        writeSnapshot(wallet, 3, "0", "{\"walletId\":\"" + wallet.value() + "\",\"credits\":0}");

        JsonNode state = loadUncached(wallet);

        assertThat(state.get("promotional").asLong()).isEqualTo(Credits.parse("997.5").micros());
        assertThat(state.get("reserved").asLong()).isZero();
    }

    @Test
    void aSnapshotOfTheCurrentRevisionWithFieldsTheWalletDoesNotKnowFailsLoudly() {
        WalletId wallet = walletWithSomeHistory();
        writeSnapshot(wallet, 3, CreditWallet.class.getAnnotation(Revision.class).value(),
                "{\"walletId\":\"" + wallet.value() + "\",\"balanceMicros\":997500000}");

        assertThatThrownBy(() -> loadUncached(wallet))
                .hasStackTraceContaining("balanceMicros");
    }

    /** Opened with 1000 credits, then 2.5 charged out of a hold of 3: four events, sequences 0 to 3. */
    private WalletId walletWithSomeHistory() {
        AccountId account = AccountId.generate();
        WalletId wallet = WalletId.of(account);
        commands.sendAndWait(new OpenWallet(wallet, account, Credits.of(1000), Actor.SYSTEM));
        ReservationId hold = ReservationId.generate();
        commands.sendAndWait(new ReserveCredits(wallet, hold, Credits.of(3), "key_s", "sdxl",
                Instant.now().plusSeconds(600), Actor.SYSTEM));
        commands.sendAndWait(new CommitCharge(wallet, hold, Credits.parse("2.5"), Usage.NONE, Instant.now(),
                Actor.SYSTEM));
        return wallet;
    }

    private void writeSnapshot(WalletId wallet, long sequence, String revision, String json) {
        jdbc.sql("insert into snapshot_event_entry (aggregate_identifier, sequence_number, type, event_identifier, "
                        + "time_stamp, payload_type, payload_revision, payload, meta_data) "
                        + "values (?, ?, 'CreditWallet', ?, ?, ?, ?, ?, ?)")
                .params(wallet.value(), sequence, UUID.randomUUID().toString(), Instant.now().toString(),
                        CreditWallet.class.getName(), revision, json.getBytes(StandardCharsets.UTF_8),
                        "{}".getBytes(StandardCharsets.UTF_8))
                .update();
    }

    /** The wallet as an uncached repository reads it (snapshot, then later events), as a node without the cache. */
    private JsonNode loadUncached(WalletId wallet) throws Exception {
        var uncached = EventSourcingRepository.builder(CreditWallet.class).eventStore(eventStore).build();
        return (JsonNode) DefaultUnitOfWork.startAndGet(null).executeWithResult(
                () -> transactions.fetchInTransaction(() -> (JsonNode) axonJson.valueToTree(
                        uncached.load(wallet.value()).invoke(w -> w)))).getPayload();
    }
}
