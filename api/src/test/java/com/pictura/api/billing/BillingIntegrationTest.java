package com.pictura.api.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.pictura.api.IntegrationTest;
import com.pictura.billing.BillingProperties;
import com.pictura.billing.simulator.StripeSimulator;
import com.pictura.billing.simulator.StripeSimulator.SimulatedEvent;
import com.pictura.billing.simulator.WebhookSignature;
import com.pictura.billing.stripe.StripeApi;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletCommand.CommitCharge;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletId;
import com.stripe.exception.StripeException;
import com.stripe.model.Refund;
import com.stripe.param.RefundCreateParams;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * What the billing tests share: buying through the real HTTP flow, delivering signed webhooks, reading the
 * balance and the ledger as a user and an auditor would.
 */
abstract class BillingIntegrationTest extends IntegrationTest {

    protected static final String WEBHOOK = "/billing/stripe/webhook";

    @Autowired
    protected StripeSimulator stripe;
    @Autowired
    protected StripeApi stripeApi;
    @Autowired
    protected CommandGateway commands;


    /** Starts a checkout over the API; its Checkout Session id. */
    protected String checkout(Person person, String packId) {
        var started = http.post("/api/billing/checkout", person.session(), Map.of("packId", packId));
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        return started.json().get("id").asString();
    }

    /** Checkout, then the Pay button of the hosted page: the simulator delivers the signed webhooks. */
    protected String buy(Person person, String packId) {
        String sessionId = checkout(person, packId);
        int status = postForm(simulatorPage(sessionId) + "/pay", "method=card");
        assertThat(status).isEqualTo(303);
        return sessionId;
    }

    protected String simulatorPage(String sessionId) {
        return "/stripe-sim/checkout/" + sessionId;
    }

    protected int postForm(String path, String form) {
        return http.postRaw(path, "application/x-www-form-urlencoded", form).status();
    }

    /** Delivers an event as Stripe does, signed now with the endpoint secret. */
    protected int deliver(SimulatedEvent event) {
        return deliver(event.payload(), WebhookSignature.header(event.payload(),
                BillingProperties.Stripe.SIMULATOR_WEBHOOK_SECRET, Instant.now().getEpochSecond()));
    }

    protected int deliver(String payload, String signature) {
        return http.postRaw(WEBHOOK, "application/json; charset=utf-8", payload, "Stripe-Signature", signature)
                .status();
    }

    /** The one event of {@code type} among what the simulator produced. */
    protected static SimulatedEvent only(List<SimulatedEvent> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).reduce((a, b) -> {
            throw new IllegalStateException("two " + type);
        }).orElseThrow();
    }

    /** {@code /api/me}'s balance, as the person sees it. */
    protected JsonNode balance(Person person) {
        var me = http.get("/api/me", person.session());
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        return me.json().get("balance");
    }

    protected void awaitAvailable(Person person, String credits) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(balance(person).get("available").asString()).isEqualTo(credits));
    }

    /** The ledger events of one kind in a person's wallet, straight from the event store. */
    protected long ledgerEvents(Person person, String eventType) {
        return jdbc.sql("""
                select count(*) from domain_event_entry
                where aggregate_identifier = ? and payload_type like ?""")
                .params("wal_" + person.accountId().substring("acct_".length()), "%" + eventType)
                .query(Long.class).single();
    }

    /** The sum of one event kind's {@code amount} in a person's wallet, in credits. */
    protected Credits ledgerSum(Person person, String eventType) {
        Long micros = jdbc.sql("""
                select coalesce(sum((convert_from(payload, 'UTF8')::jsonb ->> 'amount')::bigint), 0)
                from domain_event_entry where aggregate_identifier = ? and payload_type like ?""")
                .params("wal_" + person.accountId().substring("acct_".length()), "%" + eventType)
                .query(Long.class).single();
        return Credits.ofMicros(micros);
    }

    /** A refund made the way support staff would, through Stripe's API (here, the simulator's). */
    protected Refund refund(String sessionId, Long cents) {
        try {
            return stripeApi.client().v1().refunds().create(RefundCreateParams.builder()
                    .setCharge(stripe.chargeOf(sessionId)).setAmount(cents).build());
        } catch (StripeException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static WalletId wallet(Person person) {
        return WalletId.of(new AccountId(person.accountId()));
    }

    /** Holds {@code credits} as a model call would; refused with InsufficientCredits (HTTP 402) if not covered. */
    protected ReservationId reserve(Person person, long credits) {
        ReservationId id = ReservationId.generate();
        commands.sendAndWait(new ReserveCredits(wallet(person), id, Credits.of(credits), "key_test", "flux-schnell",
                Instant.now().plusSeconds(60), Actor.SYSTEM));
        return id;
    }

    /** Uses {@code credits} the way a model call does: reserve, then charge. */
    protected void spend(Person person, long credits) {
        ReservationId id = reserve(person, credits);
        commands.sendAndWait(new CommitCharge(wallet(person), id, Credits.of(credits), new Usage(0, 0, 1, 10),
                Instant.now(), Actor.SYSTEM));
    }
}
