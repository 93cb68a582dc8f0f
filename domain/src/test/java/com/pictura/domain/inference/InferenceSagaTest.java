package com.pictura.domain.inference;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.inference.InferenceEvent.InferenceFailed;
import com.pictura.domain.inference.InferenceEvent.InferenceSucceeded;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletCommand.CommitCharge;
import com.pictura.domain.wallet.WalletCommand.ReleaseReservation;
import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.ReservationReleased;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.messaging.Message;
import org.axonframework.test.matchers.Matchers;
import org.axonframework.test.saga.SagaTestFixture;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InferenceSagaTest {

    private static final WalletId WALLET = WalletId.of(new AccountId("acct_saga1"));
    private static final ReservationId RESERVATION = new ReservationId("res_saga1");
    private static final Credits HOLD = Credits.parse("0.5");
    private static final Usage USAGE = new Usage(12, 30, 0, 40);

    private SagaTestFixture<InferenceSaga> fixture;
    private Instant start;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(InferenceSaga.class);
        start = fixture.currentTime();
    }

    private CreditsReserved reserved() {
        return new CreditsReserved(WALLET, RESERVATION, HOLD, HOLD, Credits.ZERO, "key_1", "llama-3.1-8b-instruct",
                start.plus(Duration.ofMinutes(5)));
    }

    private InferenceSucceeded succeeded(Credits cost) {
        return new InferenceSucceeded(WALLET, RESERVATION, "llama-3.1-8b-instruct", USAGE, cost,
                InferenceSucceeded.COMPLETE);
    }

    private InferenceFailed failed(String reason) {
        return new InferenceFailed(WALLET, RESERVATION, "llama-3.1-8b-instruct", reason, 10);
    }

    private UsageCharged charged(Credits amount) {
        return new UsageCharged(WALLET, RESERVATION, amount, amount, Credits.ZERO, HOLD, Credits.ZERO, USAGE);
    }

    /** The charge the saga sends; its decidedAt comes from the node's clock, so only its presence is checked. */
    private static Matcher<List<Message<?>>> chargeOf(Credits amount) {
        return Matchers.exactSequenceOf(Matchers.messageWithPayload(new TypeSafeMatcher<CommitCharge>() {
            @Override
            protected boolean matchesSafely(CommitCharge c) {
                return c.decidedAt() != null && c.equals(
                        new CommitCharge(WALLET, RESERVATION, amount, USAGE, c.decidedAt(), Actor.SYSTEM));
            }

            @Override
            public void describeTo(Description d) {
                d.appendText("a CommitCharge of " + amount + " with a decidedAt");
            }
        }));
    }

    private ReservationReleased released(String reason) {
        return new ReservationReleased(WALLET, RESERVATION, HOLD, HOLD, Credits.ZERO, reason);
    }

    @Test
    void aReservationStartsTheSagaWithADeadlineAtItsExpiry() {
        fixture.givenNoPriorActivity()
                .whenAggregate(WALLET.value()).publishes(reserved())
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(start.plus(Duration.ofMinutes(5)), InferenceSaga.EXPIRY_DEADLINE)
                .expectNoDispatchedCommands();
    }

    @Test
    void aSuccessfulCallIsChargedItsActualCost() {
        Credits cost = Credits.parse("0.012345");
        fixture.givenAggregate(WALLET.value()).published(reserved())
                .whenPublishingA(succeeded(cost))
                .expectActiveSagas(1)
                .expectDispatchedCommandsMatching(chargeOf(cost));
    }

    @Test
    void aChargeNeverExceedsTheHold() {
        fixture.givenAggregate(WALLET.value()).published(reserved())
                .whenPublishingA(succeeded(Credits.parse("0.7")))
                .expectDispatchedCommandsMatching(chargeOf(HOLD));
    }

    @Test
    void aFailedCallReleasesTheWholeHold() {
        fixture.givenAggregate(WALLET.value()).published(reserved())
                .whenPublishingA(failed("upstream_error"))
                .expectActiveSagas(1)
                .expectDispatchedCommands(new ReleaseReservation(WALLET, RESERVATION, "upstream_error", Actor.SYSTEM));
    }

    @Test
    void anOutcomeRecordedTwiceSettlesOnce() {
        fixture.givenAggregate(WALLET.value()).published(reserved())
                .andThenAPublished(succeeded(Credits.parse("0.01")))
                .whenPublishingA(failed("upstream_error"))
                .expectNoDispatchedCommands();
    }

    @Test
    void aHoldNobodySettledIsReleasedWhenItExpires() {
        fixture.givenAggregate(WALLET.value()).published(reserved())
                .whenTimeElapses(Duration.ofMinutes(5).plusSeconds(1))
                .expectTriggeredDeadlinesWithName(InferenceSaga.EXPIRY_DEADLINE)
                .expectDispatchedCommands(new ReleaseReservation(WALLET, RESERVATION, InferenceSaga.EXPIRED,
                        Actor.SYSTEM));
    }

    @Test
    void aSettlementThatNeverLandedIsSentAgainAtTheDeadline() {
        Credits cost = Credits.parse("0.02");
        fixture.givenAggregate(WALLET.value()).published(reserved())
                .andThenAPublished(succeeded(cost))
                .whenTimeElapses(Duration.ofMinutes(5).plusSeconds(1))
                .expectDispatchedCommandsMatching(chargeOf(cost))
                .expectScheduledDeadlineWithName(start.plus(Duration.ofMinutes(5)).plus(InferenceSaga.RETRY_AFTER),
                        InferenceSaga.EXPIRY_DEADLINE);
    }

    @Test
    void anOutcomeAfterTheHoldExpiredChangesNothing() throws Exception {
        fixture.givenAggregate(WALLET.value()).published(reserved())
                .andThenTimeElapses(Duration.ofMinutes(5).plusSeconds(1))
                .whenPublishingA(succeeded(Credits.parse("0.02")))
                .expectNoDispatchedCommands();
    }

    @Test
    void theChargeEndsTheSagaAndCancelsTheDeadline() {
        Credits cost = Credits.parse("0.02");
        fixture.givenAggregate(WALLET.value()).published(reserved())
                .andThenAPublished(succeeded(cost))
                .whenAggregate(WALLET.value()).publishes(charged(cost))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines()
                .expectNoDispatchedCommands();
    }

    @Test
    void theReleaseEndsTheSagaAndCancelsTheDeadline() {
        fixture.givenAggregate(WALLET.value()).published(reserved())
                .andThenAPublished(failed("upstream_timeout"))
                .whenAggregate(WALLET.value()).publishes(released("upstream_timeout"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aReleaseAtExpiryEndsTheSaga() throws Exception {
        fixture.givenAggregate(WALLET.value()).published(reserved())
                .andThenTimeElapses(Duration.ofMinutes(5).plusSeconds(1))
                .whenAggregate(WALLET.value()).publishes(released(InferenceSaga.EXPIRED))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }
}
