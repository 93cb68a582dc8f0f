package com.pictura.api.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

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

        assertThat(jdbc.sql("select count(*) from snapshot_event_entry where aggregate_identifier = ?")
                .param(wallet.value()).query(Long.class).single()).isEqualTo(1L);
        assertThat(last.available()).isEqualTo(Credits.of(1000).minus(Credits.parse("75")));

        // An uncached repository reads the snapshot and the events after it, as a node without the cache would.
        var uncached = EventSourcingRepository.builder(CreditWallet.class).eventStore(eventStore).build();
        JsonNode state = (JsonNode) DefaultUnitOfWork.startAndGet(null).executeWithResult(
                () -> transactions.fetchInTransaction(() -> (JsonNode) axonJson.valueToTree(
                        uncached.load(wallet.value()).invoke(w -> w)))).getPayload();

        assertThat(state.get("promotional").asLong()).isEqualTo(last.promotional().micros());
        assertThat(state.get("paid").asLong()).isEqualTo(last.paid().micros());
        assertThat(state.get("reserved").asLong()).isZero();
        assertThat(state.get("reservations").size()).isEqualTo(60);
    }
}
