package com.pictura.domain.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.account.AccountCommand.SuspendAccount;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@SuppressWarnings("unchecked")
class ActorCorrelationTest {

    private final ActorCorrelation correlation = new ActorCorrelation();

    @Test
    void aCommandPassesItsActorAndReasonToTheEventsItCauses() {
        SuspendAccount command = new SuspendAccount(new AccountId("acct_bob"), "chargeback",
                Actor.staff("acct_support"));

        Map<String, Object> data = (Map<String, Object>) correlation.correlationDataFor(GenericCommandMessage.asCommandMessage(command));

        assertThat(data).containsExactlyInAnyOrderEntriesOf(
                Map.of(ActorCorrelation.ACTOR, "staff:acct_support", ActorCorrelation.REASON, "chargeback"));
    }

    @Test
    void aCommandWithoutAReasonPassesOnlyItsActor() {
        ReserveCredits command = new ReserveCredits(new WalletId("wal_bob"), new ReservationId("res_1"),
                Credits.of(1), "key_bob", "sdxl", Instant.EPOCH, Actor.account("acct_bob"));

        Map<String, Object> data = (Map<String, Object>) correlation.correlationDataFor(GenericCommandMessage.asCommandMessage(command));

        assertThat(data).containsExactlyEntriesOf(Map.of(ActorCorrelation.ACTOR, "account:acct_bob"));
    }

    @Test
    void anEventHandledByASagaPassesItsOriginOn() {
        GenericEventMessage<String> event = new GenericEventMessage<>("something happened",
                MetaData.with(ActorCorrelation.ACTOR, "stripe:evt_1").and(ActorCorrelation.REASON, "refund")
                        .and("unrelated", "x"));

        Map<String, Object> data = (Map<String, Object>) correlation.correlationDataFor(event);

        assertThat(data).containsExactlyInAnyOrderEntriesOf(
                Map.of(ActorCorrelation.ACTOR, "stripe:evt_1", ActorCorrelation.REASON, "refund"));
    }

    @ParameterizedTest
    @EnumSource(Actor.Kind.class)
    void anActorReadsBackAsItWasWritten(Actor.Kind kind) {
        Actor actor = new Actor(kind, "id:with:colons");

        assertThat(Actor.parse(actor.toString())).isEqualTo(actor);
    }

    @Test
    void anActorNeedsAnId() {
        assertThatThrownBy(() -> Actor.account(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Actor(null, "x")).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "no-colon", ":id", "robot:x"})
    void textThatIsNoActorIsRefusedClearly(String text) {
        assertThatThrownBy(() -> Actor.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
