package com.pictura.api.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.pictura.api.provider.UpstreamFailure;

import com.pictura.domain.actor.Actor;
import com.pictura.domain.actor.ActorCorrelation;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletCommand.CommitCharge;
import com.pictura.domain.wallet.WalletCommand.ReleaseReservation;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * One admitted {@code /v1} call, from its hold to its settlement: the in-process half of the inference saga
 * (reserve → call → commit or compensate). It owns the hold, the {@code Idempotency-Key} claim and the one
 * settlement, so whichever path ends the call first (the answer, a timeout, a client that went away) settles it
 * and every later one changes nothing. The {@link HoldSweeper} is the other half: it compensates the holds of
 * calls whose node died before settling.
 */
public final class PaidCall {

    /**
     * How much longer than its provider's timeout the gateway waits for an answer: the provider's timeout fires
     * first and settles the call; this one only catches what slipped through.
     */
    static final Duration MARGIN = Duration.ofSeconds(5);

    private final KeyCaller caller;
    private final Duration callLimit;
    private final Holds.Hold hold;
    private final Idempotency.Claim claim;
    private final Idempotency idempotency;
    private final Settlements settlements;
    private final Clock clock;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean claimEnded = new AtomicBoolean();

    PaidCall(KeyCaller caller, Duration callLimit, Holds.Hold hold, Idempotency.Claim claim,
             Idempotency idempotency, Settlements settlements, Clock clock) {
        this.caller = caller;
        this.callLimit = callLimit;
        this.hold = hold;
        this.claim = claim;
        this.idempotency = idempotency;
        this.settlements = settlements;
        this.clock = clock;
    }

    public ReservationId id() {
        return hold.id();
    }

    /** How long the servlet container keeps the request open: derived from the provider's timeouts. */
    public long asyncTimeoutMillis() {
        return callLimit.plus(MARGIN).toMillis();
    }

    /**
     * The answer of a non-streamed call, to be given later. Should it not come in time (the provider's own timeout
     * failed to fire), the call is released, its key given back, and the client gets 504.
     */
    public DeferredResult<ResponseEntity<byte[]>> answerLater() {
        DeferredResult<ResponseEntity<byte[]>> result = new DeferredResult<>(asyncTimeoutMillis());
        result.onTimeout(() -> {
            release("gateway_timeout");
            unanswered();
            result.setErrorResult(Replays.upstreamError(
                    new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, 0, "no answer in time")));
        });
        return result;
    }

    /**
     * Charges what the call consumed, never more than was held: the hold is what the client agreed to risk. The
     * usage's latency is measured here.
     *
     * @param upstream the provider that served, named in the charge's metadata
     * @return the amount charged, or zero if the call was settled already
     */
    public Credits charge(long inputTokens, long outputTokens, int images, Credits cost, String upstream) {
        Credits amount = cost.min(hold.amount());
        if (!settled.compareAndSet(false, true)) {
            return Credits.ZERO;
        }
        Usage usage = new Usage(inputTokens, outputTokens, images, elapsedMillis());
        settlements.settle(new CommitCharge(caller.walletId(), hold.id(), amount, usage, clock.instant(),
                Actor.SYSTEM), upstream == null ? Map.of() : Map.of(ActorCorrelation.UPSTREAM, upstream));
        return amount;
    }

    /** Returns the whole hold: nothing was delivered. {@code reason} is a short code, never prompt or output. */
    public void release(String reason) {
        if (settled.compareAndSet(false, true)) {
            settlements.settle(new ReleaseReservation(caller.walletId(), hold.id(), reason, Actor.SYSTEM));
        }
    }

    /** Keeps the answer under the call's {@code Idempotency-Key}, if it has one and the answer is final. */
    public void answered(int status, String contentType, byte[] body) {
        if (claimEnded.compareAndSet(false, true)) {
            idempotency.complete(claim, status, contentType, body);
        }
    }

    /** Gives the {@code Idempotency-Key} back: the call did not produce an answer worth replaying. */
    public void unanswered() {
        if (claimEnded.compareAndSet(false, true)) {
            idempotency.abandon(claim);
        }
    }

    /** The wallet's available credits once this call is charged {@code charged}. */
    public Credits remainingAfter(Credits charged) {
        return hold.after().available().plus(hold.amount()).minus(charged);
    }

    public long elapsedMillis() {
        return Math.max(0, clock.millis() - hold.startedAt().toEpochMilli());
    }
}
