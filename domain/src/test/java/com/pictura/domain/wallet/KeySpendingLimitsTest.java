package com.pictura.domain.wallet;

import java.time.Instant;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletEvent.CreditsGranted;
import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.ReservationReleased;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import com.pictura.domain.wallet.WalletEvent.WalletOpened;
import com.pictura.domain.wallet.WalletRefusals.KeyLimitReached;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An API key's spending limits, enforced by the wallet with every hold: what the key has been charged in the
 * period (UTC day, UTC month, ever) plus what its open holds keep plus the new hold must not pass the limit.
 */
class KeySpendingLimitsTest {

    private static final WalletId WALLET = new WalletId("wal_alice");
    private static final String KEY = "key_laptop";
    private static final String OTHER_KEY = "key_server";
    private static final Instant EXPIRES = Instant.parse("2030-06-01T00:00:00Z");
    private static final Instant JAN_1_LATE = Instant.parse("2030-01-01T23:00:00Z");
    private static final Instant JAN_2 = Instant.parse("2030-01-02T00:30:00Z");
    private static final Instant FEB_1 = Instant.parse("2030-02-01T00:30:00Z");
    private static final SpendLimits DAILY_10 = new SpendLimits(Credits.of(10), null, null);

    private AggregateTestFixture<CreditWallet> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CreditWallet.class);
    }

    @Test
    void anOpenHoldCountsAgainstTheLimitAsIfCharged() {
        fixture.givenCurrentTime(JAN_1_LATE).andGiven(opened(), granted(25), reserved("res_1", KEY, 6))
                .when(reserve("res_2", KEY, 5, DAILY_10))
                .expectNoEvents()
                .expectException(KeyLimitReached.class)
                .expectExceptionMessage("This API key's daily spending limit is 10.000000 credits; 6.000000 are "
                        + "spent or held this day (UTC), and this request needs up to 5.000000.");
    }

    @Test
    void aHoldThatReachesTheLimitExactlyIsPlaced() {
        fixture.givenCurrentTime(JAN_1_LATE).andGiven(opened(), granted(25), reserved("res_1", KEY, 8),
                        charged("res_1", 4))
                .when(reserve("res_2", KEY, 6, DAILY_10))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void onlyWhatWasChargedCounts_ReleasedHoldsAndTheRestOfAHoldReturnTheAllowance() {
        fixture.givenCurrentTime(JAN_1_LATE).andGiven(opened(), granted(25), reserved("res_1", KEY, 8),
                        charged("res_1", 3), reserved("res_2", KEY, 7), released("res_2", 7))
                .when(reserve("res_3", KEY, 7, DAILY_10))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void theDailyLimitStartsAgainAtMidnightUtc() {
        fixture.givenCurrentTime(JAN_1_LATE).andGiven(opened(), granted(25), reserved("res_1", KEY, 8),
                        charged("res_1", 8))
                .andGivenCurrentTime(JAN_2)
                .when(reserve("res_2", KEY, 8, DAILY_10))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void theMonthlyLimitCountsEveryDayOfTheMonth() {
        fixture.givenCurrentTime(JAN_1_LATE).andGiven(opened(), granted(25), reserved("res_1", KEY, 8),
                        charged("res_1", 8))
                .andGivenCurrentTime(JAN_2)
                .when(reserve("res_2", KEY, 5, new SpendLimits(Credits.of(10), Credits.of(10), null)))
                .expectException(KeyLimitReached.class)
                .expectExceptionMessage(org.hamcrest.Matchers.startsWith("This API key's monthly spending limit"));
    }

    @Test
    void theLifetimeLimitCountsEveryMonth() {
        fixture.givenCurrentTime(JAN_1_LATE).andGiven(opened(), granted(25), reserved("res_1", KEY, 8),
                        charged("res_1", 8))
                .andGivenCurrentTime(FEB_1)
                .when(reserve("res_2", KEY, 5, new SpendLimits(null, Credits.of(10), Credits.of(12))))
                .expectException(KeyLimitReached.class)
                .expectExceptionMessage("This API key's lifetime spending limit is 12.000000 credits; 8.000000 "
                        + "are spent or held, and this request needs up to 5.000000.");
    }

    @Test
    void anotherKeyOfTheSameWalletIsNotCounted() {
        fixture.givenCurrentTime(JAN_1_LATE).andGiven(opened(), granted(25), reserved("res_1", OTHER_KEY, 9),
                        charged("res_1", 9), reserved("res_2", OTHER_KEY, 5))
                .when(reserve("res_3", KEY, 10, DAILY_10))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void spendingIsRebuiltFromTheEventsAlone() {
        // Charged before any limit existed: a limit set later counts it (the wallet tallies every key's charges).
        fixture.givenCurrentTime(JAN_1_LATE).andGiven(opened(), granted(25), reserved("res_1", KEY, 9),
                        charged("res_1", 9))
                .when(reserve("res_2", KEY, 2, DAILY_10))
                .expectException(KeyLimitReached.class);
    }

    private static WalletOpened opened() {
        return new WalletOpened(WALLET, new AccountId("acct_alice"));
    }

    private static CreditsGranted granted(long credits) {
        return new CreditsGranted(WALLET, "signup", Credits.of(credits), "sign-up bonus");
    }

    /** Holds from the promotional lot, which the grant filled. */
    private static CreditsReserved reserved(String id, String key, long credits) {
        return new CreditsReserved(WALLET, new ReservationId(id), Credits.of(credits), Credits.of(credits),
                Credits.ZERO, key, "flux-schnell", EXPIRES);
    }

    private static UsageCharged charged(String id, long credits) {
        // The hold's whole amount came from promotional credits; only its amount matters to the limits.
        return new UsageCharged(WALLET, new ReservationId(id), Credits.of(credits), Credits.of(credits), Credits.ZERO,
                Credits.of(credits), Credits.ZERO, new Usage(0, 0, 1, 100));
    }

    private static ReservationReleased released(String id, long credits) {
        return new ReservationReleased(WALLET, new ReservationId(id), Credits.of(credits), Credits.of(credits),
                Credits.ZERO, "provider error");
    }

    private static ReserveCredits reserve(String id, String key, long credits, SpendLimits limits) {
        return new ReserveCredits(WALLET, new ReservationId(id), Credits.of(credits), key, "flux-schnell", EXPIRES,
                limits, Actor.account("acct_alice"));
    }
}
