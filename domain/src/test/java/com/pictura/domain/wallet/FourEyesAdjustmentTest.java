package com.pictura.domain.wallet;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.WalletCommand.ApproveAdjustment;
import com.pictura.domain.wallet.WalletCommand.RejectAdjustment;
import com.pictura.domain.wallet.WalletCommand.RequestAdjustment;
import com.pictura.domain.wallet.WalletEvent.AdjustmentApproved;
import com.pictura.domain.wallet.WalletEvent.AdjustmentRejected;
import com.pictura.domain.wallet.WalletEvent.AdjustmentRequested;
import com.pictura.domain.wallet.WalletEvent.CreditsAdjusted;
import com.pictura.domain.wallet.WalletEvent.CreditsForfeited;
import com.pictura.domain.wallet.WalletEvent.CreditsGranted;
import com.pictura.domain.wallet.WalletEvent.WalletOpened;
import com.pictura.domain.wallet.WalletRefusals.AdjustmentRequestDecided;
import com.pictura.domain.wallet.WalletRefusals.OwnRequest;
import com.pictura.domain.wallet.WalletRefusals.UnknownAdjustmentRequest;
import com.pictura.domain.wallet.WalletRefusals.WalletClosed;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Corrections too large for one person: requested by one staff member, approved by another. */
class FourEyesAdjustmentTest {

    private static final WalletId WALLET = new WalletId("wal_bob");
    private static final Actor ANNA = Actor.staff("acct_anna");
    private static final Actor BEN = Actor.staff("acct_ben");

    private AggregateTestFixture<CreditWallet> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CreditWallet.class);
    }

    @Test
    void aRequestIsRecordedAndMovesNothing() {
        fixture.given(opened(), signup())
                .when(new RequestAdjustment(WALLET, "adj_1", Credits.of(500), "lost purchase", "T-9", ANNA))
                .expectEvents(requested())
                .expectResultMessagePayload(new WalletBalance(Credits.of(25), Credits.ZERO, Credits.ZERO));
    }

    @Test
    void anotherStaffMembersApprovalAppliesTheRequest() {
        fixture.given(opened(), signup(), requested())
                .when(new ApproveAdjustment(WALLET, "adj_1", "checked the receipt", BEN))
                .expectEvents(new AdjustmentApproved(WALLET, "adj_1", BEN.toString(), "checked the receipt"),
                        new CreditsAdjusted(WALLET, "adj_1", Credits.of(500), Credits.of(500), Credits.ZERO,
                                "lost purchase", "T-9"))
                .expectResultMessagePayload(new WalletBalance(Credits.of(525), Credits.ZERO, Credits.ZERO));
    }

    @Test
    void nobodyApprovesTheirOwnRequest() {
        fixture.given(opened(), signup(), requested())
                .when(new ApproveAdjustment(WALLET, "adj_1", "looks fine to me", ANNA))
                .expectException(OwnRequest.class)
                .expectNoEvents();
    }

    @Test
    void aRejectedRequestMovesNothingAndCannotBeApprovedLater() {
        fixture.given(opened(), signup(), requested(),
                        new AdjustmentRejected(WALLET, "adj_1", BEN.toString(), "no evidence"))
                .when(new ApproveAdjustment(WALLET, "adj_1", "changed my mind", BEN))
                .expectException(AdjustmentRequestDecided.class)
                .expectNoEvents();
    }

    @Test
    void aRequestIsRejectedOnce() {
        fixture.given(opened(), signup(), requested())
                .when(new RejectAdjustment(WALLET, "adj_1", "no evidence", BEN))
                .expectEvents(new AdjustmentRejected(WALLET, "adj_1", BEN.toString(), "no evidence"));
    }

    @Test
    void anApprovedRequestIsNotAppliedTwice() {
        fixture.given(opened(), signup(), requested(),
                        new AdjustmentApproved(WALLET, "adj_1", BEN.toString(), "ok"),
                        new CreditsAdjusted(WALLET, "adj_1", Credits.of(500), Credits.of(500), Credits.ZERO,
                                "lost purchase", "T-9"))
                .when(new ApproveAdjustment(WALLET, "adj_1", "ok", Actor.staff("acct_carl")))
                .expectException(AdjustmentRequestDecided.class)
                .expectNoEvents();
    }

    @Test
    void approvingAnUnknownRequestIsRefused() {
        fixture.given(opened(), signup())
                .when(new ApproveAdjustment(WALLET, "adj_404", "ok", BEN))
                .expectException(UnknownAdjustmentRequest.class)
                .expectNoEvents();
    }

    @Test
    void aRequestNeedsAReasonAndATicket() {
        fixture.given(opened(), signup())
                .when(new RequestAdjustment(WALLET, "adj_1", Credits.of(500), "lost purchase", " ", ANNA))
                .expectException(com.pictura.domain.InvalidCommand.class)
                .expectNoEvents();
    }

    @Test
    void aRequestPendingWhenTheWalletClosedCannotBringCreditsBack() {
        fixture.given(opened(), signup(), requested(),
                        new CreditsForfeited(WALLET, Credits.of(25), Credits.ZERO, "terminated"))
                .when(new ApproveAdjustment(WALLET, "adj_1", "ok", BEN))
                .expectException(WalletClosed.class)
                .expectNoEvents();
    }

    private static WalletOpened opened() {
        return new WalletOpened(WALLET, new AccountId("acct_bob"));
    }

    private static CreditsGranted signup() {
        return new CreditsGranted(WALLET, "signup", Credits.of(25), "sign-up bonus");
    }

    private static AdjustmentRequested requested() {
        return new AdjustmentRequested(WALLET, "adj_1", Credits.of(500), "lost purchase", "T-9", ANNA.toString());
    }
}
