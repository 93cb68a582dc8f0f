package com.pictura.domain.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.pictura.domain.InvalidCommand;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.WalletCommand.AdjustCredits;
import com.pictura.domain.wallet.WalletCommand.CommitCharge;
import com.pictura.domain.wallet.WalletCommand.ForfeitCredits;
import com.pictura.domain.wallet.WalletCommand.GrantCredits;
import com.pictura.domain.wallet.WalletCommand.OpenWallet;
import com.pictura.domain.wallet.WalletCommand.PurchaseCredits;
import com.pictura.domain.wallet.WalletCommand.RefundCharge;
import com.pictura.domain.wallet.WalletCommand.ReleaseReservation;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletCommand.ReversePurchase;
import com.pictura.domain.wallet.WalletEvent.ChargeRefunded;
import com.pictura.domain.wallet.WalletEvent.CreditsAdjusted;
import com.pictura.domain.wallet.WalletEvent.CreditsForfeited;
import com.pictura.domain.wallet.WalletEvent.CreditsGranted;
import com.pictura.domain.wallet.WalletEvent.CreditsPurchased;
import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.ExpiredHoldCharged;
import com.pictura.domain.wallet.WalletEvent.PurchaseReversed;
import com.pictura.domain.wallet.WalletEvent.ReservationReleased;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import com.pictura.domain.wallet.WalletEvent.WalletOpened;
import com.pictura.domain.wallet.WalletRefusals.ChargeExceedsHold;
import com.pictura.domain.wallet.WalletRefusals.IdempotencyConflict;
import com.pictura.domain.wallet.WalletRefusals.ReservationAlreadySettled;
import com.pictura.domain.wallet.WalletRefusals.InsufficientCredits;
import com.pictura.domain.wallet.WalletRefusals.RefundExceedsCharge;
import com.pictura.domain.wallet.WalletRefusals.ReversalExceedsPurchase;
import com.pictura.domain.wallet.WalletRefusals.UnknownPayment;
import com.pictura.domain.wallet.WalletRefusals.UnknownReservation;
import com.pictura.domain.wallet.WalletRefusals.WalletClosed;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.TestExecutor;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** One test per rule of the ledger, in given / when / then form. Amounts are whole credits unless stated. */
class CreditWalletTest {

    private static final WalletId WALLET = new WalletId("wal_alice");
    private static final AccountId ACCOUNT = new AccountId("acct_alice");
    private static final Actor ALICE = Actor.account("acct_alice");
    private static final Actor SUPPORT = Actor.staff("acct_support");
    private static final Actor STRIPE = Actor.stripe("evt_1");
    private static final ReservationId RES_1 = new ReservationId("res_1");
    private static final ReservationId RES_2 = new ReservationId("res_2");
    private static final String KEY = "key_alice";
    private static final String MODEL = "flux-schnell";
    private static final Instant EXPIRES = Instant.parse("2030-01-01T00:05:00Z");
    private static final Instant DECIDED = EXPIRES.minusSeconds(60);
    private static final Usage USAGE = new Usage(120, 340, 0, 900);

    private AggregateTestFixture<CreditWallet> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CreditWallet.class);
    }

    // --- opening ---

    @Test
    void openingAWalletGrantsTheSignupCreditsOnce() {
        fixture.givenNoPriorActivity()
                .when(new OpenWallet(WALLET, ACCOUNT, c(25), Actor.SYSTEM))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new WalletOpened(WALLET, ACCOUNT),
                        new CreditsGranted(WALLET, "signup", c(25), "sign-up bonus"));
    }

    @Test
    void openingAnOpenWalletAgainIsRefusedByItsEventStream() {
        // The wallet cannot see that it exists already; the second stream for its id is refused on append
        // (in production by the event table's unique (aggregate id, sequence)), so the sign-up grant stays single.
        fixture.given(opened(), signup())
                .when(new OpenWallet(WALLET, ACCOUNT, c(25), Actor.SYSTEM))
                .expectException(EventStoreException.class)
                .expectNoEvents();
    }

    @Test
    void theSignupGrantRepeatedChangesNothing() {
        fixture.given(opened(), signup())
                .when(new GrantCredits(WALLET, "signup", c(25), "sign-up bonus", Actor.SYSTEM))
                .expectNoEvents()
                .expectResultMessagePayload(balance(25, 0, 0));
    }

    @Test
    void theSignupGrantCannotBeGrantedAgainWithAnotherAmount() {
        fixture.given(opened(), signup())
                .when(new GrantCredits(WALLET, "signup", c(50), "sign-up bonus", Actor.SYSTEM))
                .expectException(IdempotencyConflict.class)
                .expectNoEvents();
    }

    @Test
    void openingWithoutASignupGrantOnlyOpensTheWallet() {
        fixture.givenNoPriorActivity()
                .when(new OpenWallet(WALLET, ACCOUNT, Credits.ZERO, Actor.SYSTEM))
                .expectEvents(new WalletOpened(WALLET, ACCOUNT));
    }

    @Test
    void aNegativeSignupGrantIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new OpenWallet(WALLET, ACCOUNT, c(-1), Actor.SYSTEM))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    // --- grants and purchases ---

    @Test
    void grantAddsToThePromotionalLot() {
        fixture.given(opened(), signup())
                .when(new GrantCredits(WALLET, "grant_1", c(10), "apology", SUPPORT))
                .expectEvents(new CreditsGranted(WALLET, "grant_1", c(10), "apology"))
                .expectResultMessagePayload(balance(35, 0, 0));
    }

    @Test
    void grantIsIdempotentByGrantId() {
        fixture.given(opened(), signup(), new CreditsGranted(WALLET, "grant_1", c(10), "apology"))
                .when(new GrantCredits(WALLET, "grant_1", c(10), "  apology ", SUPPORT))
                .expectNoEvents()
                .expectResultMessagePayload(balance(35, 0, 0));
    }

    @Test
    void grantWithSameIdButDifferentAmountIsRefused() {
        fixture.given(opened(), signup(), new CreditsGranted(WALLET, "grant_1", c(10), "apology"))
                .when(new GrantCredits(WALLET, "grant_1", c(11), "apology", SUPPORT))
                .expectException(IdempotencyConflict.class)
                .expectNoEvents();
    }

    @Test
    void purchaseAddsToThePaidLot() {
        fixture.given(opened(), signup())
                .when(new PurchaseCredits(WALLET, "pi_1", c(100), 1000, "EUR", STRIPE))
                .expectEvents(new CreditsPurchased(WALLET, "pi_1", c(100), 1000, "eur"))
                .expectResultMessagePayload(balance(25, 100, 0));
    }

    @Test
    void purchaseIsIdempotentByPaymentId() {
        fixture.given(opened(), signup(), purchased("pi_1", 100))
                .when(new PurchaseCredits(WALLET, "pi_1", c(100), 1000, "EUR", STRIPE))
                .expectNoEvents()
                .expectResultMessagePayload(balance(25, 100, 0));
    }

    @ParameterizedTest(name = "amount {0}, price {1} {2}")
    @CsvSource({"101, 1000, eur", "100, 999, eur", "100, 1000, usd"})
    void purchaseWithSameIdDifferentContentIsRefused(long amount, long priceCents, String currency) {
        fixture.given(opened(), signup(), purchased("pi_1", 100))
                .when(new PurchaseCredits(WALLET, "pi_1", c(amount), priceCents, currency, STRIPE))
                .expectException(IdempotencyConflict.class)
                .expectNoEvents();
    }

    // --- reservations ---

    @Test
    void reservationHoldsCreditsUntilSettled() {
        fixture.given(opened(), signup())
                .when(reserve(RES_1, 10))
                .expectEvents(new CreditsReserved(WALLET, RES_1, c(10), c(10), c(0), KEY, MODEL, EXPIRES))
                .expectResultMessagePayload(balance(15, 0, 10));
    }

    @Test
    void reservingMoreThanAvailableIsRefusedWithNeededAndAvailable() {
        fixture.given(opened(), signup(), reserved(RES_1, 20, 20, 0))
                .when(reserve(RES_2, 10))
                .expectException(refusal(InsufficientCredits.class, "needing 10 with 5 available",
                        r -> r.needed().equals(c(10)) && r.available().equals(c(5))))
                .expectExceptionMessage("This request needs 10.000000 credits, but only 5.000000 are available.")
                .expectNoEvents();
    }

    @Test
    void reservingExactlyWhatIsAvailableSucceeds() {
        fixture.given(opened(), signup(), purchased("pi_1", 5))
                .when(reserve(RES_1, 30))
                .expectEvents(new CreditsReserved(WALLET, RES_1, c(30), c(25), c(5), KEY, MODEL, EXPIRES))
                .expectResultMessagePayload(balance(0, 0, 30));
    }

    @Test
    void reservationSpendsPromotionalCreditsFirst() {
        fixture.given(opened(), signup(), purchased("pi_1", 100))
                .when(reserve(RES_1, 30))
                .expectEvents(new CreditsReserved(WALLET, RES_1, c(30), c(25), c(5), KEY, MODEL, EXPIRES))
                .expectResultMessagePayload(balance(0, 95, 30));
    }

    @Test
    void repeatedReservationWithSameContentChangesNothing() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0))
                .when(reserve(RES_1, 10))
                .expectNoEvents()
                .expectResultMessagePayload(balance(15, 0, 10));
    }

    @Test
    void reservationIdReusedWithDifferentAmountIsRefused() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0))
                .when(reserve(RES_1, 11))
                .expectException(IdempotencyConflict.class)
                .expectNoEvents();
    }

    @Test
    void reservationIdReusedAfterSettlementStaysSettled() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), released(RES_1, 10))
                .when(reserve(RES_1, 10))
                .expectNoEvents()
                .expectResultMessagePayload(balance(25, 0, 0));
    }

    // --- charges ---

    @Test
    void chargeReturnsTheRestOfTheHold() {
        fixture.given(opened(), signup(), purchased("pi_1", 100), reserved(RES_1, 30, 25, 5))
                .when(new CommitCharge(WALLET, RES_1, c(10), USAGE, DECIDED, Actor.SYSTEM))
                .expectEvents(new UsageCharged(WALLET, RES_1, c(10), c(10), c(0), c(25), c(5), USAGE))
                .expectResultMessagePayload(balance(15, 100, 0));
    }

    @Test
    void chargeSpendsThePromotionalPartOfTheHoldFirst() {
        fixture.given(opened(), signup(), purchased("pi_1", 100), reserved(RES_1, 30, 25, 5))
                .when(new CommitCharge(WALLET, RES_1, c(28), USAGE, DECIDED, Actor.SYSTEM))
                .expectEvents(new UsageCharged(WALLET, RES_1, c(28), c(25), c(3), c(25), c(5), USAGE))
                .expectResultMessagePayload(balance(0, 97, 0));
    }

    @Test
    void chargeOfTheWholeHoldIsAllowed() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0))
                .when(new CommitCharge(WALLET, RES_1, c(10), USAGE, DECIDED, Actor.SYSTEM))
                .expectEvents(new UsageCharged(WALLET, RES_1, c(10), c(10), c(0), c(10), c(0), USAGE))
                .expectResultMessagePayload(balance(15, 0, 0));
    }

    @Test
    void chargeOfNothingReturnsTheWholeHold() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0))
                .when(new CommitCharge(WALLET, RES_1, Credits.ZERO, Usage.NONE, DECIDED, Actor.SYSTEM))
                .expectEvents(new UsageCharged(WALLET, RES_1, c(0), c(0), c(0), c(10), c(0), Usage.NONE))
                .expectResultMessagePayload(balance(25, 0, 0));
    }

    @Test
    void chargeAboveTheHoldIsRefused() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0))
                .when(new CommitCharge(WALLET, RES_1, Credits.parse("10.000001"), USAGE, DECIDED, Actor.SYSTEM))
                .expectException(ChargeExceedsHold.class)
                .expectExceptionMessage("A charge of 10.000001 exceeds its hold of 10.000000.")
                .expectNoEvents();
    }

    @Test
    void negativeChargeIsRefused() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0))
                .when(new CommitCharge(WALLET, RES_1, c(-1), USAGE, DECIDED, Actor.SYSTEM))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    @Test
    void repeatedChargeWithSameAmountChangesNothing() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 4, 4, 0))
                .when(new CommitCharge(WALLET, RES_1, c(4), USAGE, DECIDED, Actor.SYSTEM))
                .expectNoEvents()
                .expectResultMessagePayload(balance(21, 0, 0));
    }

    @Test
    void repeatedChargeWithDifferentAmountIsRefused() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 4, 4, 0))
                .when(new CommitCharge(WALLET, RES_1, c(5), USAGE, DECIDED, Actor.SYSTEM))
                .expectException(ReservationAlreadySettled.class)
                .expectNoEvents();
    }

    @Test
    void chargeAfterReleaseIsRefused() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), released(RES_1, 10))
                .when(new CommitCharge(WALLET, RES_1, c(4), USAGE, DECIDED, Actor.SYSTEM))
                .expectException(ReservationAlreadySettled.class)
                .expectNoEvents();
    }

    @Test
    void unknownReservationIsRefused() {
        fixture.given(opened(), signup())
                .when(new CommitCharge(WALLET, RES_1, c(4), USAGE, DECIDED, Actor.SYSTEM))
                .expectException(UnknownReservation.class)
                .expectExceptionMessage("There is no reservation res_1 in this wallet (a hold is forgotten 24 hours "
                        + "after its release, a charge 90 days after it was made).")
                .expectNoEvents();
    }

    // --- a charge decided in time, arriving after the expiry released its hold ---

    @Test
    void aChargeDecidedBeforeTheExpiryIsAppliedAfterTheExpiryReleasedTheHold() {
        fixture.given(opened(), signup(), purchased("pi_1", 20), reserved(RES_1, 30, 25, 5), expired(RES_1, 30))
                .when(new CommitCharge(WALLET, RES_1, c(12), USAGE, DECIDED, Actor.SYSTEM))
                .expectEvents(new ExpiredHoldCharged(WALLET, RES_1, c(12), c(12), c(0), USAGE))
                .expectResultMessagePayload(balance(13, 20, 0));
    }

    @Test
    void aChargeDecidedExactlyAtTheExpiryStillCounts() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), expired(RES_1, 10))
                .when(new CommitCharge(WALLET, RES_1, c(4), USAGE, EXPIRES, Actor.SYSTEM))
                .expectEvents(new ExpiredHoldCharged(WALLET, RES_1, c(4), c(4), c(0), USAGE));
    }

    @Test
    void aLateChargeTakesPromotionalCreditsFirstThenPaidEvenBelowZero() {
        // After the expiry, 20 of the 25 promotional credits went to another call: 5 promotional are left.
        fixture.given(opened(), signup(), purchased("pi_1", 3), reserved(RES_1, 10, 10, 0), expired(RES_1, 10),
                        reserved(RES_2, 20, 20, 0), charged(RES_2, 20, 20, 0))
                .when(new CommitCharge(WALLET, RES_1, c(10), USAGE, DECIDED, Actor.SYSTEM))
                .expectEvents(new ExpiredHoldCharged(WALLET, RES_1, c(10), c(5), c(5), USAGE))
                .expectResultMessagePayload(balance(0, -2, 0));
    }

    @Test
    void aLateChargeNeverExceedsTheOriginalHold() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), expired(RES_1, 10))
                .when(new CommitCharge(WALLET, RES_1, c(11), USAGE, DECIDED, Actor.SYSTEM))
                .expectException(ChargeExceedsHold.class)
                .expectNoEvents();
    }

    @Test
    void aChargeDecidedAfterTheExpiryIsRefused() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), expired(RES_1, 10))
                .when(new CommitCharge(WALLET, RES_1, c(4), USAGE, EXPIRES.plusMillis(1), Actor.SYSTEM))
                .expectException(ReservationAlreadySettled.class)
                .expectNoEvents();
    }

    @Test
    void aChargeAfterAReleaseForAnotherReasonIsRefusedEvenIfDecidedInTime() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), released(RES_1, 10))
                .when(new CommitCharge(WALLET, RES_1, c(4), USAGE, DECIDED, Actor.SYSTEM))
                .expectException(ReservationAlreadySettled.class)
                .expectNoEvents();
    }

    @Test
    void aLateChargeRepeatedChangesNothing() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), expired(RES_1, 10),
                        lateCharged(RES_1, 4, 4, 0))
                .when(new CommitCharge(WALLET, RES_1, c(4), USAGE, DECIDED, Actor.SYSTEM))
                .expectNoEvents()
                .expectResultMessagePayload(balance(21, 0, 0));
    }

    @Test
    void aLateChargeWithAnotherAmountIsRefused() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), expired(RES_1, 10),
                        lateCharged(RES_1, 4, 4, 0))
                .when(new CommitCharge(WALLET, RES_1, c(5), USAGE, DECIDED, Actor.SYSTEM))
                .expectException(ReservationAlreadySettled.class)
                .expectNoEvents();
    }

    @Test
    void aReleaseAfterALateChargeIsRefused() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), expired(RES_1, 10),
                        lateCharged(RES_1, 4, 4, 0))
                .when(new ReleaseReservation(WALLET, RES_1, ReleaseReservation.EXPIRED, Actor.SYSTEM))
                .expectException(ReservationAlreadySettled.class)
                .expectNoEvents();
    }

    @Test
    void aLateChargeCanBeRefundedPaidCreditsFirst() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), expired(RES_1, 10),
                        lateCharged(RES_1, 8, 5, 3))
                .when(refund("rf_1", RES_1, 4))
                .expectEvents(new ChargeRefunded(WALLET, "rf_1", RES_1, c(4), c(1), c(3), "bad output"));
    }

    @Test
    void aLateChargeOnAClosedWalletIsRefused() {
        // The released hold was forfeited with the rest when the wallet closed; there is nothing to charge.
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), expired(RES_1, 10), forfeited(25, 0))
                .when(new CommitCharge(WALLET, RES_1, c(4), USAGE, DECIDED, Actor.SYSTEM))
                .expectException(WalletClosed.class)
                .expectNoEvents();
    }

    @Test
    void aChargeNeedsTheTimeItWasDecided() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0))
                .when(new CommitCharge(WALLET, RES_1, c(4), USAGE, null, Actor.SYSTEM))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    // --- releases ---

    @Test
    void releaseReturnsTheWholeHoldToItsLots() {
        fixture.given(opened(), signup(), purchased("pi_1", 100), reserved(RES_1, 30, 25, 5))
                .when(new ReleaseReservation(WALLET, RES_1, "provider failed", Actor.SYSTEM))
                .expectEvents(new ReservationReleased(WALLET, RES_1, c(30), c(25), c(5), "provider failed"))
                .expectResultMessagePayload(balance(25, 100, 0));
    }

    @Test
    void releaseAfterChargeIsRefused() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 4, 4, 0))
                .when(new ReleaseReservation(WALLET, RES_1, "expired", Actor.SYSTEM))
                .expectException(ReservationAlreadySettled.class)
                .expectNoEvents();
    }

    @Test
    void repeatedReleaseIsHarmless() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), released(RES_1, 10))
                .when(new ReleaseReservation(WALLET, RES_1, "expired", Actor.SYSTEM))
                .expectNoEvents()
                .expectResultMessagePayload(balance(25, 0, 0));
    }

    @Test
    void releasingAnUnknownReservationIsRefused() {
        fixture.given(opened(), signup())
                .when(new ReleaseReservation(WALLET, RES_1, "expired", Actor.SYSTEM))
                .expectException(UnknownReservation.class)
                .expectNoEvents();
    }

    @Test
    void releaseNeedsAReason() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0))
                .when(new ReleaseReservation(WALLET, RES_1, " ", Actor.SYSTEM))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    // --- adjustments ---

    @ParameterizedTest(name = "reason \"{0}\", ticket \"{1}\"")
    @CsvSource(value = {"NULL, T-1", "'  ', T-1", "goodwill, NULL", "goodwill, ''"}, nullValues = "NULL")
    void adjustmentNeedsReasonAndTicket(String reason, String ticket) {
        fixture.given(opened(), signup())
                .when(new AdjustCredits(WALLET, "adj_1", c(5), reason, ticket, SUPPORT))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    @Test
    void zeroAdjustmentIsRefused() {
        fixture.given(opened(), signup())
                .when(new AdjustCredits(WALLET, "adj_1", Credits.ZERO, "goodwill", "T-1", SUPPORT))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    @Test
    void positiveAdjustmentJoinsPromotionalLot() {
        fixture.given(opened(), signup(), purchased("pi_1", 100))
                .when(new AdjustCredits(WALLET, "adj_1", c(5), "goodwill", "T-1", SUPPORT))
                .expectEvents(new CreditsAdjusted(WALLET, "adj_1", c(5), c(5), c(0), "goodwill", "T-1"))
                .expectResultMessagePayload(balance(30, 100, 0));
    }

    @Test
    void negativeAdjustmentTakesPromotionalFirst() {
        fixture.given(opened(), signup(), purchased("pi_1", 100))
                .when(new AdjustCredits(WALLET, "adj_1", c(-30), "double grant", "T-2", SUPPORT))
                .expectEvents(new CreditsAdjusted(WALLET, "adj_1", c(-30), c(-25), c(-5), "double grant", "T-2"))
                .expectResultMessagePayload(balance(0, 95, 0));
    }

    @Test
    void negativeAdjustmentBeyondTheBalanceLeavesPaidNegative() {
        fixture.given(opened(), signup())
                .when(new AdjustCredits(WALLET, "adj_1", c(-30), "fraud", "T-3", SUPPORT))
                .expectEvents(new CreditsAdjusted(WALLET, "adj_1", c(-30), c(-25), c(-5), "fraud", "T-3"))
                .expectResultMessagePayload(balance(0, -5, 0));
    }

    @Test
    void adjustmentIsIdempotentByAdjustmentId() {
        fixture.given(opened(), signup(),
                        new CreditsAdjusted(WALLET, "adj_1", c(5), c(5), c(0), "goodwill", "T-1"))
                .when(new AdjustCredits(WALLET, "adj_1", c(5), "goodwill", "T-1", SUPPORT))
                .expectNoEvents()
                .expectResultMessagePayload(balance(30, 0, 0));
    }

    @ParameterizedTest(name = "amount {0}, reason {1}, ticket {2}")
    @CsvSource({"6, goodwill, T-1", "5, other, T-1", "5, goodwill, T-9"})
    void adjustmentWithSameIdDifferentContentIsRefused(long amount, String reason, String ticket) {
        fixture.given(opened(), signup(),
                        new CreditsAdjusted(WALLET, "adj_1", c(5), c(5), c(0), "goodwill", "T-1"))
                .when(new AdjustCredits(WALLET, "adj_1", c(amount), reason, ticket, SUPPORT))
                .expectException(IdempotencyConflict.class)
                .expectNoEvents();
    }

    // --- refunds ---

    @Test
    void refundReturnsPartOfACharge() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0))
                .when(refund("rf_1", RES_1, 3))
                .expectEvents(new ChargeRefunded(WALLET, "rf_1", RES_1, c(3), c(3), c(0), "bad output"))
                .expectResultMessagePayload(balance(20, 0, 0));
    }

    @Test
    void refundNeverExceedsTheCharge() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0))
                .when(refund("rf_1", RES_1, 9))
                .expectException(RefundExceedsCharge.class)
                .expectExceptionMessage("A refund of 9.000000 exceeds the 8.000000 credits still refundable "
                        + "for this charge.")
                .expectNoEvents();
    }

    @Test
    void partialRefundsAddUpToTheCharge() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0),
                        refunded("rf_1", RES_1, 5, 5, 0))
                .when(refund("rf_2", RES_1, 3))
                .expectEvents(new ChargeRefunded(WALLET, "rf_2", RES_1, c(3), c(3), c(0), "bad output"))
                .expectResultMessagePayload(balance(25, 0, 0));
    }

    @Test
    void partialRefundsCannotAddUpToMoreThanTheCharge() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0),
                        refunded("rf_1", RES_1, 5, 5, 0))
                .when(refund("rf_2", RES_1, 4))
                .expectException(RefundExceedsCharge.class)
                .expectExceptionMessage("A refund of 4.000000 exceeds the 3.000000 credits still refundable "
                        + "for this charge.")
                .expectNoEvents();
    }

    @Test
    void refundReturnsPaidCreditsFirst() {
        // Charged 20 of a hold of 5 promotional + 25 paid: 5 promotional and 15 paid were spent.
        fixture.given(opened(), signup(), purchased("pi_1", 25), adjusted("adj_0", -20, -20, 0),
                        reserved(RES_2, 30, 5, 25), charged(RES_2, 20, 5, 15))
                .when(refund("rf_1", RES_2, 18))
                .expectEvents(new ChargeRefunded(WALLET, "rf_1", RES_2, c(18), c(3), c(15), "bad output"))
                .expectResultMessagePayload(balance(3, 25, 0));
    }

    @Test
    void refundOfReleasedReservationIsRefused() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), released(RES_1, 10))
                .when(refund("rf_1", RES_1, 1))
                .expectException(refusal(RefundExceedsCharge.class, "with nothing refundable",
                        r -> r.getMessage().contains("the 0.000000 credits still refundable")))
                .expectNoEvents();
    }

    @Test
    void refundOfOpenReservationIsRefused() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0))
                .when(refund("rf_1", RES_1, 1))
                .expectException(RefundExceedsCharge.class)
                .expectNoEvents();
    }

    @Test
    void refundOfUnknownReservationIsRefused() {
        fixture.given(opened(), signup())
                .when(refund("rf_1", RES_1, 1))
                .expectException(UnknownReservation.class)
                .expectNoEvents();
    }

    @Test
    void refundIsIdempotentByRefundId() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0),
                        refunded("rf_1", RES_1, 5, 5, 0))
                .when(refund("rf_1", RES_1, 5))
                .expectNoEvents()
                .expectResultMessagePayload(balance(22, 0, 0));
    }

    @Test
    void refundWithSameIdDifferentAmountIsRefused() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0),
                        refunded("rf_1", RES_1, 5, 5, 0))
                .when(refund("rf_1", RES_1, 2))
                .expectException(IdempotencyConflict.class)
                .expectNoEvents();
    }

    // --- reversals ---

    @Test
    void reversalTakesBackPaidCreditsOnlyAndMayGoNegative() {
        // 10 paid credits were spent before 25 promotional ones arrived; then the payment was disputed.
        fixture.given(opened(), purchased("pi_1", 10), reserved(RES_1, 10, 0, 10), charged(RES_1, 10, 0, 10),
                        signup())
                .when(new ReversePurchase(WALLET, "rv_1", "pi_1", c(10), "dispute lost", STRIPE))
                .expectEvents(new PurchaseReversed(WALLET, "rv_1", "pi_1", c(10), "dispute lost"))
                .expectResultMessagePayload(balance(25, -10, 0));
    }

    @Test
    void negativeBalanceBlocksReservations() {
        fixture.given(opened(), purchased("pi_1", 10), reserved(RES_1, 10, 0, 10), charged(RES_1, 10, 0, 10),
                        reversed("rv_1", "pi_1", 10))
                .when(new ReserveCredits(WALLET, RES_2, Credits.ofMicros(1), KEY, MODEL, EXPIRES, ALICE))
                .expectException(refusal(InsufficientCredits.class, "with -10 available",
                        r -> r.available().equals(c(-10))))
                .expectExceptionMessage("This request needs 0.000001 credits, but only 0.000000 are available.")
                .expectNoEvents();
    }

    @Test
    void reversalOfUnknownPaymentIsRefused() {
        fixture.given(opened(), signup())
                .when(new ReversePurchase(WALLET, "rv_1", "pi_nope", c(10), "dispute lost", STRIPE))
                .expectException(UnknownPayment.class)
                .expectNoEvents();
    }

    @Test
    void reversalNeverExceedsThePurchase() {
        fixture.given(opened(), signup(), purchased("pi_1", 10))
                .when(new ReversePurchase(WALLET, "rv_1", "pi_1", c(11), "refund", STRIPE))
                .expectException(ReversalExceedsPurchase.class)
                .expectNoEvents();
    }

    @Test
    void partialReversalsCannotAddUpToMoreThanThePurchase() {
        fixture.given(opened(), signup(), purchased("pi_1", 10), reversed("rv_1", "pi_1", 6))
                .when(new ReversePurchase(WALLET, "rv_2", "pi_1", c(5), "refund", STRIPE))
                .expectException(ReversalExceedsPurchase.class)
                .expectExceptionMessage("A reversal of 5.000000 exceeds the 4.000000 credits of this purchase "
                        + "not yet reversed.")
                .expectNoEvents();
    }

    @Test
    void reversalIsIdempotentByReversalId() {
        fixture.given(opened(), signup(), purchased("pi_1", 10), reversed("rv_1", "pi_1", 6))
                .when(new ReversePurchase(WALLET, "rv_1", "pi_1", c(6), "refund", STRIPE))
                .expectNoEvents()
                .expectResultMessagePayload(balance(25, 4, 0));
    }

    @Test
    void reversalWithSameIdDifferentAmountIsRefused() {
        fixture.given(opened(), signup(), purchased("pi_1", 10), reversed("rv_1", "pi_1", 6))
                .when(new ReversePurchase(WALLET, "rv_1", "pi_1", c(4), "refund", STRIPE))
                .expectException(IdempotencyConflict.class)
                .expectNoEvents();
    }

    // --- forfeiture and the closed wallet ---

    @Test
    void forfeitTakesEverythingAvailableAndClosesTheWallet() {
        fixture.given(opened(), signup(), purchased("pi_1", 100))
                .when(new ForfeitCredits(WALLET, "terminated (Terms §10)", SUPPORT))
                .expectEvents(new CreditsForfeited(WALLET, c(25), c(100), "terminated (Terms §10)"))
                .expectResultMessagePayload(balance(0, 0, 0));
    }

    @Test
    void forfeitLeavesHeldCreditsToTheirCallInFlight() {
        fixture.given(opened(), signup(), purchased("pi_1", 100), reserved(RES_1, 30, 25, 5),
                        forfeited(0, 95))
                .when(new CommitCharge(WALLET, RES_1, c(30), USAGE, DECIDED, Actor.SYSTEM))
                .expectEvents(new UsageCharged(WALLET, RES_1, c(30), c(25), c(5), c(25), c(5), USAGE))
                .expectResultMessagePayload(balance(0, 0, 0));
    }

    @Test
    void whatALateChargeReturnsToAClosedWalletIsForfeited() {
        fixture.given(opened(), signup(), purchased("pi_1", 100), reserved(RES_1, 30, 25, 5),
                        forfeited(0, 95))
                .when(new CommitCharge(WALLET, RES_1, c(10), USAGE, DECIDED, Actor.SYSTEM))
                .expectEvents(new UsageCharged(WALLET, RES_1, c(10), c(10), c(0), c(25), c(5), USAGE),
                        new CreditsForfeited(WALLET, c(15), c(5), CreditWallet.CLOSED_REMAINDER))
                .expectResultMessagePayload(balance(0, 0, 0));
    }

    @Test
    void aHoldReleasedAfterTheWalletClosedIsForfeited() {
        fixture.given(opened(), signup(), purchased("pi_1", 100), reserved(RES_1, 30, 25, 5),
                        forfeited(0, 95))
                .when(new ReleaseReservation(WALLET, RES_1, "provider failed", Actor.SYSTEM))
                .expectEvents(new ReservationReleased(WALLET, RES_1, c(30), c(25), c(5), "provider failed"),
                        new CreditsForfeited(WALLET, c(25), c(5), CreditWallet.CLOSED_REMAINDER))
                .expectResultMessagePayload(balance(0, 0, 0));
    }

    @Test
    void repeatedForfeitChangesNothing() {
        fixture.given(opened(), signup(), forfeited(25, 0))
                .when(new ForfeitCredits(WALLET, "terminated", SUPPORT))
                .expectNoEvents()
                .expectResultMessagePayload(balance(0, 0, 0));
    }

    @Test
    void closedWalletRefusesReservations() {
        fixture.given(opened(), signup(), forfeited(25, 0))
                .when(reserve(RES_1, 1))
                .expectException(WalletClosed.class)
                .expectNoEvents();
    }

    @Test
    void closedWalletRefusesGrants() {
        fixture.given(opened(), signup(), forfeited(25, 0))
                .when(new GrantCredits(WALLET, "grant_1", c(10), "apology", SUPPORT))
                .expectException(WalletClosed.class)
                .expectNoEvents();
    }

    @Test
    void closedWalletRefusesRefunds() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0), forfeited(17, 0))
                .when(refund("rf_1", RES_1, 3))
                .expectException(WalletClosed.class)
                .expectNoEvents();
    }

    @Test
    void aRefundRepeatedAfterTheWalletClosedChangesNothing() {
        fixture.given(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0),
                        refunded("rf_1", RES_1, 3, 3, 0), forfeited(20, 0))
                .when(refund("rf_1", RES_1, 3))
                .expectNoEvents()
                .expectResultMessagePayload(balance(0, 0, 0));
    }

    @Test
    void closedWalletRefusesAdjustmentsInTheUsersFavour() {
        fixture.given(opened(), signup(), forfeited(25, 0))
                .when(new AdjustCredits(WALLET, "adj_1", c(10), "goodwill", "T-1", SUPPORT))
                .expectException(WalletClosed.class)
                .expectNoEvents();
    }

    @Test
    void closedWalletRefusesAdjustmentsAgainstTheUser() {
        fixture.given(opened(), signup(), forfeited(25, 0))
                .when(new AdjustCredits(WALLET, "adj_1", c(-10), "correction", "T-1", SUPPORT))
                .expectException(WalletClosed.class)
                .expectNoEvents();
    }

    @Test
    void closedWalletStillRecordsPurchases() {
        fixture.given(opened(), signup(), forfeited(25, 0))
                .when(new PurchaseCredits(WALLET, "pi_late", c(50), 500, "eur", STRIPE))
                .expectEvents(new CreditsPurchased(WALLET, "pi_late", c(50), 500, "eur"))
                .expectResultMessagePayload(balance(0, 50, 0));
    }

    // --- what the wallet remembers, and for how long ---

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aWalletRemembersABoundedNumberOfReservationsHoweverManyItMade() {
        // 400 calls over 100 days, one every 6 hours; one in four is charged, the others fail and are released.
        TestExecutor<CreditWallet> history = fixture.givenCurrentTime(T0).andGiven(opened(), purchased("pi_1", 1000));
        for (int i = 0; i < 400; i++) {
            ReservationId id = new ReservationId("res_cycle" + i);
            history = history.andGivenCurrentTime(T0.plus(Duration.ofHours(6L * i)))
                    .andGiven(reserved(id, 1, 0, 1), i % 4 == 0 ? charged(id, 1, 0, 1) : released(id, 1));
        }
        history.andGivenCurrentTime(T0.plus(Duration.ofDays(100)))
                .when(reserve(RES_1, 1))
                .expectSuccessfulHandlerExecution()
                // Charged in the last 90 days (90), released in the last 24 hours (at most 3), and the new hold.
                .expectState(wallet -> assertThat(wallet.remembered()).isBetween(90, 95));
    }

    @Test
    void aRepeatedReservationIsRecognisedWithinTheIdempotencyHorizon() {
        fixture.givenCurrentTime(T0).andGiven(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0))
                .andGivenCurrentTime(T0.plus(CreditWallet.IDEMPOTENCY_HORIZON).minusSeconds(1))
                .when(reserve(RES_1, 10))
                .expectNoEvents()
                .expectResultMessagePayload(balance(17, 0, 0));
    }

    @Test
    void aReservationIdOfAHoldChargedLongerAgoThanTheHorizonCannotHoldAgain() {
        fixture.givenCurrentTime(T0).andGiven(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0))
                .andGivenCurrentTime(T0.plus(CreditWallet.IDEMPOTENCY_HORIZON).plusSeconds(1))
                .andGiven(reserved(RES_2, 1, 1, 0))
                .when(reserve(RES_1, 10))
                .expectException(ReservationAlreadySettled.class)
                .expectNoEvents();
    }

    @Test
    void aReleasedHoldIsForgottenAfterTheIdempotencyHorizon() {
        fixture.givenCurrentTime(T0).andGiven(opened(), signup(), reserved(RES_1, 10, 10, 0), expired(RES_1, 10))
                .andGivenCurrentTime(T0.plus(CreditWallet.IDEMPOTENCY_HORIZON).plusSeconds(1))
                .when(new CommitCharge(WALLET, RES_1, c(4), USAGE, DECIDED, Actor.SYSTEM))
                .expectException(UnknownReservation.class)
                .expectNoEvents();
    }

    @Test
    void aChargeCanBeRefundedWithinTheRefundWindow() {
        fixture.givenCurrentTime(T0).andGiven(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0))
                .andGivenCurrentTime(T0.plus(CreditWallet.REFUND_WINDOW).minusSeconds(1))
                .andGiven(reserved(RES_2, 1, 1, 0))
                .when(refund("rf_1", RES_1, 3))
                .expectEvents(new ChargeRefunded(WALLET, "rf_1", RES_1, c(3), c(3), c(0), "bad output"));
    }

    @Test
    void aChargeCannotBeRefundedAfterTheRefundWindow() {
        fixture.givenCurrentTime(T0).andGiven(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0))
                .andGivenCurrentTime(T0.plus(CreditWallet.REFUND_WINDOW).plusSeconds(1))
                .when(refund("rf_1", RES_1, 3))
                .expectException(UnknownReservation.class)
                .expectNoEvents();
    }

    @Test
    void aChargeForgottenByTheWalletCannotBeRefundedEither() {
        // Here a later event made the wallet drop the charge from its state (above, it was only past the window).
        fixture.givenCurrentTime(T0).andGiven(opened(), signup(), reserved(RES_1, 10, 10, 0), charged(RES_1, 8, 8, 0))
                .andGivenCurrentTime(T0.plus(CreditWallet.REFUND_WINDOW).plusSeconds(1))
                .andGiven(reserved(RES_2, 1, 1, 0))
                .when(refund("rf_1", RES_1, 3))
                .expectException(UnknownReservation.class)
                .expectNoEvents();
    }

    // --- validation common to every command that moves credits ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandsWithNonPositiveAmounts")
    void nonPositiveAmountsAreRefused(String description, WalletCommand command) {
        fixture.given(opened(), signup(), purchased("pi_1", 10), reserved(RES_1, 10, 10, 0),
                        charged(RES_1, 5, 5, 0))
                .when(command)
                .expectException(InvalidCommand.class)
                .expectExceptionMessage("the amount must be positive")
                .expectNoEvents();
    }

    static Stream<Arguments> commandsWithNonPositiveAmounts() {
        return Stream.of(Credits.ZERO, c(-1), Credits.ofMicros(-1), null).flatMap(amount -> Stream.of(
                Arguments.of("grant of " + amount,
                        new GrantCredits(WALLET, "grant_x", amount, "apology", SUPPORT)),
                Arguments.of("purchase of " + amount,
                        new PurchaseCredits(WALLET, "pi_x", amount, 100, "eur", STRIPE)),
                Arguments.of("reservation of " + amount,
                        new ReserveCredits(WALLET, RES_2, amount, KEY, MODEL, EXPIRES, ALICE)),
                Arguments.of("refund of " + amount,
                        new RefundCharge(WALLET, "rf_x", RES_1, amount, "bad output", SUPPORT)),
                Arguments.of("reversal of " + amount,
                        new ReversePurchase(WALLET, "rv_x", "pi_1", amount, "refund", STRIPE))));
    }

    @Test
    void reservationNeedsAnExpiry() {
        fixture.given(opened(), signup())
                .when(new ReserveCredits(WALLET, RES_1, c(1), KEY, MODEL, null, ALICE))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    @Test
    void idempotencyKeysAreCheckedOnlyAfterTheCommandIsValid() {
        // A repeat that is itself invalid is refused as invalid, not answered as a harmless repeat.
        fixture.given(opened(), signup(), purchased("pi_1", 10))
                .when(new PurchaseCredits(WALLET, "pi_1", c(10), -1, "eur", STRIPE))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    // --- helpers ---

    private static Credits c(long wholeCredits) {
        return Credits.of(wholeCredits);
    }

    private static WalletBalance balance(long promotional, long paid, long reserved) {
        return new WalletBalance(c(promotional), c(paid), c(reserved));
    }

    private static ReserveCredits reserve(ReservationId id, long amount) {
        return new ReserveCredits(WALLET, id, c(amount), KEY, MODEL, EXPIRES, ALICE);
    }

    private static RefundCharge refund(String refundId, ReservationId id, long amount) {
        return new RefundCharge(WALLET, refundId, id, c(amount), "bad output", SUPPORT);
    }

    private static WalletOpened opened() {
        return new WalletOpened(WALLET, ACCOUNT);
    }

    private static CreditsGranted signup() {
        return new CreditsGranted(WALLET, "signup", c(25), "sign-up bonus");
    }

    private static CreditsPurchased purchased(String paymentId, long amount) {
        return new CreditsPurchased(WALLET, paymentId, c(amount), amount * 10, "eur");
    }

    /** The split of the last hold built for each reservation, so charges and releases can return it. */
    private static final java.util.Map<ReservationId, long[]> HOLD_OF = new java.util.HashMap<>();

    private static CreditsReserved reserved(ReservationId id, long amount, long promotional, long paid) {
        HOLD_OF.put(id, new long[] {promotional, paid});
        return new CreditsReserved(WALLET, id, c(amount), c(promotional), c(paid), KEY, MODEL, EXPIRES);
    }

    /** A charge out of a hold whose split equals the charge's unless given (see the overload). */
    private static UsageCharged charged(ReservationId id, long amount, long promotional, long paid) {
        return charged(id, amount, promotional, paid, HOLD_OF.getOrDefault(id, new long[] {promotional, paid}));
    }

    private static UsageCharged charged(ReservationId id, long amount, long promotional, long paid, long[] held) {
        return new UsageCharged(WALLET, id, c(amount), c(promotional), c(paid), c(held[0]), c(held[1]), USAGE);
    }

    private static ReservationReleased released(ReservationId id, long amount) {
        long[] held = HOLD_OF.getOrDefault(id, new long[] {amount, 0});
        return new ReservationReleased(WALLET, id, c(amount), c(held[0]), c(held[1]), "provider failed");
    }

    private static ReservationReleased expired(ReservationId id, long amount) {
        long[] held = HOLD_OF.getOrDefault(id, new long[] {amount, 0});
        return new ReservationReleased(WALLET, id, c(amount), c(held[0]), c(held[1]), ReleaseReservation.EXPIRED);
    }

    private static ExpiredHoldCharged lateCharged(ReservationId id, long amount, long promotional, long paid) {
        return new ExpiredHoldCharged(WALLET, id, c(amount), c(promotional), c(paid), USAGE);
    }

    private static ChargeRefunded refunded(String refundId, ReservationId id, long amount, long promotional,
                                           long paid) {
        return new ChargeRefunded(WALLET, refundId, id, c(amount), c(promotional), c(paid), "bad output");
    }

    private static PurchaseReversed reversed(String reversalId, String paymentId, long amount) {
        return new PurchaseReversed(WALLET, reversalId, paymentId, c(amount), "refund");
    }

    private static CreditsAdjusted adjusted(String adjustmentId, long amount, long promotional, long paid) {
        return new CreditsAdjusted(WALLET, adjustmentId, c(amount), c(promotional), c(paid), "correction", "T-0");
    }

    private static CreditsForfeited forfeited(long promotional, long paid) {
        return new CreditsForfeited(WALLET, c(promotional), c(paid), "terminated");
    }

    private static <T extends Throwable> Matcher<T> refusal(Class<T> type, String description, Predicate<T> check) {
        return new TypeSafeMatcher<>(type) {
            @Override
            protected boolean matchesSafely(T refusal) {
                return check.test(refusal);
            }

            @Override
            public void describeTo(Description d) {
                d.appendText(type.getSimpleName()).appendText(" ").appendText(description);
            }
        };
    }
}
