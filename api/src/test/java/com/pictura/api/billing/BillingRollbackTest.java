package com.pictura.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.pictura.billing.simulator.StripeSimulator.Delivery;
import com.pictura.billing.simulator.StripeSimulator.SimulatedEvent;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;

/**
 * A webhook whose transaction fails after its ledger command was decided changes nothing, not even the cached
 * wallet: Stripe's retry then credits (or takes back) exactly once. The fault is a PostgreSQL trigger that
 * refuses to record the event's outcome in {@code stripe_events} until it is dropped.
 */
class BillingRollbackTest extends BillingIntegrationTest {

    @Test
    void aPurchaseWhoseTransactionFailsIsCreditedExactlyOnceByStripesRetry() {
        Person ada = signUp("ada");
        String session = checkout(ada, "credits-500");
        SimulatedEvent completed = stripe.pay(session, false, Delivery.HOLD).stream()
                .filter(e -> e.type().equals("checkout.session.completed")).findFirst().orElseThrow();

        try (var fault = new OutcomeFault(completed.id())) {
            assertThat(deliver(completed)).isEqualTo(503);
        }
        assertThat(ledgerEvents(ada, "CreditsPurchased")).isZero();

        assertThat(deliver(completed)).isEqualTo(200);
        assertThat(ledgerEvents(ada, "CreditsPurchased")).isEqualTo(1);
        assertThat(ledgerSum(ada, "CreditsPurchased")).isEqualTo(Credits.of(500));
        awaitAvailable(ada, "525.000000");
    }

    @Test
    void aRefundWhoseTransactionFailsIsTakenBackExactlyOnceByStripesRetry() {
        Person bob = signUp("bob");
        String session = buy(bob, "credits-500");
        awaitAvailable(bob, "525.000000");
        SimulatedEvent refunded = stripe.refund(stripe.chargeOf(session), null, 100L, Delivery.HOLD).events().stream()
                .filter(e -> e.type().equals("charge.refunded")).findFirst().orElseThrow();

        try (var fault = new OutcomeFault(refunded.id())) {
            assertThat(deliver(refunded)).isEqualTo(503);
        }
        assertThat(ledgerEvents(bob, "PurchaseReversed")).isZero();

        assertThat(deliver(refunded)).isEqualTo(200);
        assertThat(ledgerEvents(bob, "PurchaseReversed")).isEqualTo(1);
        assertThat(ledgerSum(bob, "PurchaseReversed")).isEqualTo(Credits.of(100));
        awaitAvailable(bob, "425.000000");
    }

    /** Until closed, every UPDATE of the event's {@code stripe_events} row fails (and so its transaction). */
    private final class OutcomeFault implements AutoCloseable {

        private final String trigger;

        OutcomeFault(String eventId) {
            this.trigger = "fault_" + eventId.replaceAll("[^A-Za-z0-9]", "_").toLowerCase();
            jdbc.sql("""
                    create or replace function test_stripe_event_fault() returns trigger language plpgsql as $$
                    begin
                        if new.event_id = tg_argv[0] then
                            raise exception 'injected fault: stripe_events row of % not updated', new.event_id;
                        end if;
                        return new;
                    end $$""").update();
            jdbc.sql("create trigger " + trigger + " before update on stripe_events for each row "
                    + "execute function test_stripe_event_fault('" + eventId + "')").update();
        }

        @Override
        public void close() {
            jdbc.sql("drop trigger " + trigger + " on stripe_events").update();
        }
    }
}
