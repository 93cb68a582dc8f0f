package com.pictura.projections.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletEvent.ChargeRefunded;
import com.pictura.domain.wallet.WalletEvent.CreditsGranted;
import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import com.pictura.domain.wallet.WalletEvent.WalletOpened;
import com.pictura.domain.wallet.WalletId;
import com.pictura.projections.ProjectionTest;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;

class LedgerLinesProjectionTest extends ProjectionTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Autowired
    LedgerLinesProjection projection;
    @Autowired
    LedgerLineRepository lines;

    @Test
    void aRefundIsALineGivingTheCreditsBackWithTheBalanceAfterIt() {
        WalletId wallet = new WalletId("wal_" + UUID.randomUUID());
        ReservationId hold = ReservationId.generate();
        List<DomainEventMessage<Object>> events = List.of(
                event(wallet.value(), 0, new WalletOpened(wallet, new AccountId("acct_x")), T0),
                event(wallet.value(), 1, new CreditsGranted(wallet, "signup", Credits.of(25), "sign-up"), T0),
                event(wallet.value(), 2, new CreditsReserved(wallet, hold, Credits.of(4), Credits.of(4), Credits.ZERO,
                        "key_x", "sdxl", T0.plusSeconds(600)), T0),
                event(wallet.value(), 3, new UsageCharged(wallet, hold, Credits.of(3), Credits.of(3), Credits.ZERO,
                        Credits.of(4), Credits.ZERO, new Usage(0, 0, 1, 900)), T0),
                event(wallet.value(), 4, new ChargeRefunded(wallet, "rf_1", hold, Credits.parse("1.5"),
                        Credits.parse("1.5"), Credits.ZERO, "blurry image"), T0.plusSeconds(60)));
        events.forEach(e -> deliver(projection, e));

        LedgerLine refund = lines.findByWalletIdOrderBySequenceNumberDesc(wallet.value(), PageRequest.of(0, 1))
                .getContent().get(0);
        assertThat(refund.kind()).isEqualTo("refund");
        assertThat(refund.reference()).isEqualTo("rf_1");
        assertThat(refund.amount()).isEqualTo(Credits.parse("1.5"));
        assertThat(refund.description()).isEqualTo("blurry image");
        assertThat(refund.sequenceNumber()).isEqualTo(4);
        assertThat(refund.occurredAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(refund.eventId()).isEqualTo(events.get(4).getIdentifier());
        assertThat(refund.promotionalAfter()).isEqualTo(Credits.parse("23.5"));
        assertThat(refund.reservedAfter()).isEqualTo(Credits.ZERO);
        assertThat(refund.availableAfter()).isEqualTo(Credits.parse("23.5"));
    }

    @Test
    void aRedeliveredEventIsOneLine() {
        WalletId wallet = new WalletId("wal_" + UUID.randomUUID());
        DomainEventMessage<Object> grant = event(wallet.value(), 1,
                new CreditsGranted(wallet, "signup", Credits.of(25), "sign-up"), T0);
        DomainEventMessage<Object> second = event(wallet.value(), 2,
                new CreditsGranted(wallet, "promo", Credits.of(5), "promotion"), T0);
        deliver(projection, grant);
        deliver(projection, second);

        deliver(projection, grant);
        deliver(projection, second);

        assertThat(lines.findByWalletIdOrderBySequenceNumberDesc(wallet.value(), PageRequest.of(0, 10)).getContent())
                .extracting(LedgerLine::sequenceNumber, LedgerLine::availableAfter)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, Credits.of(30)),
                        org.assertj.core.groups.Tuple.tuple(1L, Credits.of(25)));
    }

    @Test
    void aResetEmptiesTheLedgerLines() {
        WalletId wallet = new WalletId("wal_" + UUID.randomUUID());
        deliver(projection, event(wallet.value(), 1, new CreditsGranted(wallet, "g", Credits.of(1), "x"), T0));

        reset(projection);

        assertThat(lines.count()).isZero();
    }
}
