package com.pictura.billing.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import com.stripe.Stripe;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import org.junit.jupiter.api.Test;

/** The simulator signs exactly as Stripe does: stripe-java's own verification is the judge. */
class WebhookSignatureTest {

    private static final String SECRET = "whsec_test_secret";
    private static final String PAYLOAD = """
            {"id":"evt_1","object":"event","api_version":"%s","created":1,"type":"checkout.session.completed",
             "data":{"object":{"id":"cs_test_1","object":"checkout.session","payment_status":"paid"}}}"""
            .formatted(Stripe.API_VERSION);

    @Test
    void stripeJavaAcceptsTheSignatureAndReadsTheEvent() throws Exception {
        Event event = Webhook.constructEvent(PAYLOAD, WebhookSignature.header(PAYLOAD, SECRET, now()), SECRET, 300);

        assertThat(event.getId()).isEqualTo("evt_1");
        Session session = (Session) event.getDataObjectDeserializer().getObject().orElseThrow();
        assertThat(session.getPaymentStatus()).isEqualTo("paid");
    }

    @Test
    void anotherSecretATamperedBodyOrAnOldTimestampIsRejected() {
        assertThatThrownBy(() -> Webhook.constructEvent(PAYLOAD,
                WebhookSignature.header(PAYLOAD, "whsec_other", now()), SECRET, 300))
                .isInstanceOf(SignatureVerificationException.class);
        assertThatThrownBy(() -> Webhook.constructEvent(PAYLOAD.replace("paid", "PAID"),
                WebhookSignature.header(PAYLOAD, SECRET, now()), SECRET, 300))
                .isInstanceOf(SignatureVerificationException.class);
        assertThatThrownBy(() -> Webhook.constructEvent(PAYLOAD,
                WebhookSignature.header(PAYLOAD, SECRET, now() - 301), SECRET, 300))
                .isInstanceOf(SignatureVerificationException.class);
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
