package com.pictura.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import com.pictura.billing.reconciliation.Reconciliation;
import com.pictura.billing.reconciliation.Reconciliation.Kind;
import com.pictura.billing.reconciliation.Reconciliation.Report;
import com.pictura.billing.reconciliation.ScheduledReconciliation;
import com.pictura.billing.simulator.StripeSimulator.Delivery;
import com.pictura.domain.account.AccountCommand.GrantRole;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.account.Role;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletCommand.PurchaseCredits;
import com.pictura.domain.wallet.WalletCommand.ReversePurchase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class BillingReconciliationTest extends BillingIntegrationTest {

    @Autowired
    Reconciliation reconciliation;
    @Autowired
    ScheduledReconciliation scheduled;

    @Test
    void whenStripeAndTheLedgerAgreeNothingIsReported() {
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Person ada = signUp("ada");
        buy(ada, "credits-500");
        String big = buy(ada, "credits-12000");
        refund(big, 333L);
        String disputed = buy(ada, "credits-2200");
        String dispute = stripe.openDispute(stripe.chargeOf(disputed), null, Delivery.DELIVER).dispute()
                .get("id").getAsString();
        stripe.closeDispute(dispute, "lost", Delivery.DELIVER);

        Report report = reconciliation.run(from, Instant.now().plusSeconds(1), Optional.of(new AccountId(ada.accountId())));

        assertThat(report.differences()).isEmpty();
        assertThat(report.paidSessions()).isEqualTo(3);
        assertThat(report.refunds()).isEqualTo(1);
        assertThat(report.ledgerPurchases()).isEqualTo(3);
        assertThat(report.ledgerReversals()).isEqualTo(2);
    }

    @Test
    void everyInjectedMismatchIsReported() {
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Person bob = signUp("bob");
        String small = buy(bob, "credits-500");
        // Paid on Stripe, but the webhook never arrives.
        String unheard = checkout(bob, "credits-2200");
        stripe.pay(unheard, false, Delivery.HOLD);
        // Refunded on Stripe, but the webhook never arrives.
        String refunded = buy(bob, "credits-12000");
        String refundId = stripe.refund(stripe.chargeOf(refunded), null, 1000L, Delivery.HOLD).refund()
                .get("id").getAsString();
        // Credits in the ledger that nobody paid for.
        String forged = "cs_test_forged" + System.nanoTime();
        commands.sendAndWait(new PurchaseCredits(wallet(bob), forged, Credits.of(999), 100, "usd", Actor.SYSTEM));
        // Paid on Stripe for 2,200 credits, credited with one less.
        String miscredited = checkout(bob, "credits-2200");
        stripe.pay(miscredited, false, Delivery.HOLD);
        commands.sendAndWait(new PurchaseCredits(wallet(bob), miscredited, Credits.of(2199), 2000, "usd",
                Actor.SYSTEM));
        // Credits taken back for a refund Stripe never made.
        String forgedRefund = "re_forged" + System.nanoTime();
        commands.sendAndWait(new ReversePurchase(wallet(bob), forgedRefund, small, Credits.of(1), "forged",
                Actor.SYSTEM));
        // $5 of $20 refunded on Stripe (550 of 2,200 credits), one credit taken back.
        String underTaken = buy(bob, "credits-2200");
        String partialRefund = stripe.refund(stripe.chargeOf(underTaken), null, 500L, Delivery.HOLD).refund()
                .get("id").getAsString();
        commands.sendAndWait(new ReversePurchase(wallet(bob), partialRefund, underTaken, Credits.of(1), "too little",
                Actor.SYSTEM));

        Report report = reconciliation.run(from, Instant.now().plusSeconds(1), Optional.of(new AccountId(bob.accountId())));

        assertThat(report.differences())
                .extracting(Reconciliation.Difference::kind, Reconciliation.Difference::stripeId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(Kind.MISSING_PURCHASE, unheard),
                        org.assertj.core.groups.Tuple.tuple(Kind.MISSING_REVERSAL, refundId),
                        org.assertj.core.groups.Tuple.tuple(Kind.UNKNOWN_PURCHASE, forged),
                        org.assertj.core.groups.Tuple.tuple(Kind.PURCHASE_MISMATCH, miscredited),
                        org.assertj.core.groups.Tuple.tuple(Kind.UNKNOWN_REVERSAL, forgedRefund),
                        org.assertj.core.groups.Tuple.tuple(Kind.REVERSAL_MISMATCH, partialRefund));
        assertThat(report.differences()).filteredOn(d -> d.kind() == Kind.PURCHASE_MISMATCH).singleElement()
                .satisfies(d -> {
                    assertThat(d.expected()).startsWith("2200.000000 credits for 2000 cents");
                    assertThat(d.actual()).startsWith("2199.000000 credits for 2000 cents");
                });
        assertThat(report.differences()).filteredOn(d -> d.kind() == Kind.REVERSAL_MISMATCH).singleElement()
                .satisfies(d -> {
                    assertThat(d.expected()).isEqualTo("550.000000 credits from " + underTaken);
                    assertThat(d.actual()).isEqualTo("1.000000 credits from " + underTaken);
                });
    }

    @Test
    void staffCanReconcileOverHttpAndOthersCannot() {
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Person cy = signUp("cy");
        String unheard = checkout(cy, "credits-500");
        stripe.pay(unheard, false, Delivery.HOLD);
        Person staff = signUp("support");
        commands.sendAndWait(new GrantRole(new AccountId(staff.accountId()), Role.SUPPORT, "billing tests",
                Actor.SYSTEM));
        String query = "/admin/billing/reconciliation?from=" + from + "&to=" + Instant.now().plusSeconds(1)
                + "&account=" + cy.accountId();

        assertThat(http.get(query, cy.session()).status()).isEqualTo(403);
        var report = http.get(query, staff.session());

        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.json().get("differences")).hasSize(1);
        assertThat(report.json().at("/differences/0/kind").asString()).isEqualTo("MISSING_PURCHASE");
        assertThat(report.json().at("/differences/0/stripeId").asString()).isEqualTo(unheard);
    }

    @Test
    void theScheduledRunLogsAndExposesTheDifferencesAsAMetric() {
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Person di = signUp("di");
        String unheard = checkout(di, "credits-500");
        stripe.pay(unheard, false, Delivery.HOLD);

        Report report = scheduled.reconcile(from, Instant.now().plusSeconds(1));

        assertThat(report.differences()).extracting(Reconciliation.Difference::stripeId).contains(unheard);
        var metrics = http.get("/actuator/prometheus", METRICS_TOKEN);
        assertThat(metrics.body())
                .containsPattern("pictura_billing_reconciliation_differences(\\{[^}]*\\})? " + report.differences().size() + "\\.0")
                .contains("pictura_billing_reconciliation_runs_total{result=\"differences\"}");
    }
}
