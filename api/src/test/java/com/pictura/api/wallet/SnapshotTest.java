package com.pictura.api.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * A long-lived wallet is snapshotted; the snapshot is exactly the state its events build, and a wallet loaded from
 * it (not from a full replay) has exactly the state a full replay gives.
 */
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

        // The snapshot itself is the wallet exactly as a full replay of the events up to it builds it: every field.
        long snapshotAt = jdbc.sql("select sequence_number from snapshot_event_entry where aggregate_identifier = ?")
                .param(wallet.value()).query(Long.class).single();
        assertThat(snapshotAt).isBetween(99L, 121L);
        assertThat(normalized(snapshot(wallet))).isEqualTo(normalized(replayed(wallet, snapshotAt)));

        // An uncached repository reads the snapshot and the events after it, as a node without the cache would, and
        // ends with the whole state a full replay of all 122 events builds.
        JsonNode loaded = loadUncached(wallet);
        JsonNode replayed = replayed(wallet, Long.MAX_VALUE);
        assertThat(normalized(loaded)).isEqualTo(normalized(replayed));
        assertThat(loaded.get("promotional").asLong()).isEqualTo(last.promotional().micros());
        assertThat(loaded.get("paid").asLong()).isEqualTo(last.paid().micros());
        assertThat(loaded.get("reserved").asLong()).isZero();
        assertThat(loaded.get("reservations").size()).isEqualTo(60);

        // And the loaded state did come from the snapshot: a snapshot saying one micro-credit more shows in it.
        ObjectNode doctored = (ObjectNode) snapshot(wallet);
        doctored.put("promotional", doctored.get("promotional").asLong() + 1);
        jdbc.sql("update snapshot_event_entry set payload = ? where aggregate_identifier = ?")
                .params(axonJson.writeValueAsBytes(doctored), wallet.value()).update();
        assertThat(loadUncached(wallet).get("promotional").asLong()).isEqualTo(last.promotional().micros() + 1);
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

    /** The stored snapshot's payload, as Axon wrote it. */
    private JsonNode snapshot(WalletId wallet) throws Exception {
        return axonJson.readTree(jdbc.sql("select payload from snapshot_event_entry where aggregate_identifier = ?")
                .param(wallet.value()).query(byte[].class).single());
    }

    /** The wallet rebuilt from its events alone, up to and including {@code lastSequence}: no snapshot, no cache. */
    private JsonNode replayed(WalletId wallet, long lastSequence) throws Exception {
        return (JsonNode) DefaultUnitOfWork.startAndGet(null).executeWithResult(
                () -> transactions.fetchInTransaction(() -> {
                    // readEvents(id, 0) goes to the storage engine: events only, the snapshot is not read.
                    List<? extends DomainEventMessage<?>> events = eventStore.readEvents(wallet.value(), 0).asStream()
                            .filter(e -> e.getSequenceNumber() <= lastSequence).toList();
                    CreditWallet root = new GenericAggregateFactory<>(CreditWallet.class)
                            .createAggregateRoot(wallet.value(), events.get(0));
                    EventSourcedAggregate<CreditWallet> aggregate = EventSourcedAggregate.initialize(root,
                            AnnotatedAggregateMetaModelFactory.inspectAggregate(CreditWallet.class), null,
                            NoSnapshotTriggerDefinition.TRIGGER);
                    aggregate.initializeState(DomainEventStream.of(events.stream()));
                    return (JsonNode) axonJson.valueToTree(aggregate.invoke(w -> w));
                })).getPayload();
    }

    /** The same JSON whatever produced it (a tree read from bytes holds small numbers as ints, valueToTree as longs). */
    private JsonNode normalized(JsonNode tree) throws Exception {
        return axonJson.readTree(axonJson.writeValueAsBytes(tree));
    }

    /** The wallet as an uncached repository reads it (snapshot, then later events), as a node without the cache. */
    private JsonNode loadUncached(WalletId wallet) throws Exception {
        var uncached = EventSourcingRepository.builder(CreditWallet.class).eventStore(eventStore).build();
        return (JsonNode) DefaultUnitOfWork.startAndGet(null).executeWithResult(
                () -> transactions.fetchInTransaction(() -> (JsonNode) axonJson.valueToTree(
                        uncached.load(wallet.value()).invoke(w -> w)))).getPayload();
    }
}
