package com.pictura.domain.inference;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.inference.InferenceEvent.InferenceFailed;
import com.pictura.domain.inference.InferenceEvent.InferenceSucceeded;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.WalletCommand;
import com.pictura.domain.wallet.WalletCommand.CommitCharge;
import com.pictura.domain.wallet.WalletCommand.ReleaseReservation;
import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.ReservationReleased;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import com.pictura.domain.wallet.WalletId;
import jakarta.inject.Inject;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles one hold: reserve → call → commit or compensate.
 *
 * <p>Starts when credits are reserved for a call and schedules a durable deadline at the hold's expiry. The node
 * that made the call records its outcome ({@link InferenceSucceeded} or {@link InferenceFailed}); the saga turns
 * that into a charge of the actual cost (at most the hold) or a release of the whole hold. If nobody records an
 * outcome in time (the node died, the call hung), the deadline releases the hold. The saga ends when the wallet
 * says the hold is settled, whichever way.
 *
 * <p>Commands are sent after the saga's own transaction commits, so a refused or failed command can never roll
 * back the processor's batch; should one be lost (a node dies in between), the deadline sends it again. Every
 * command is idempotent by the reservation id, so a repeat changes nothing.
 */
@ProcessingGroup(InferenceSaga.PROCESSING_GROUP)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class InferenceSaga {

    public static final String PROCESSING_GROUP = "inference-saga";
    public static final String EXPIRY_DEADLINE = "reservation-expiry";
    public static final String EXPIRED = "expired";
    /** How long after a deadline re-sent a lost settlement the saga looks again. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(InferenceSaga.class);

    @Inject
    @JsonIgnore
    private transient CommandGateway commands;
    @Inject
    @JsonIgnore
    private transient DeadlineManager deadlines;
    @Inject
    @JsonIgnore
    private transient SettlementExecutor executor;

    private WalletId walletId;
    private ReservationId reservationId;
    private Credits hold;
    private String deadlineId;
    /** The settlement sent, once decided: a charge or a release. Sent again by the deadline if it never lands. */
    private CommitCharge charge;
    private ReleaseReservation release;

    @StartSaga
    @SagaEventHandler(associationProperty = "reservationId")
    public void on(CreditsReserved e) {
        walletId = e.walletId();
        reservationId = e.reservationId();
        hold = e.amount();
        deadlineId = deadlines.schedule(e.expiresAt(), EXPIRY_DEADLINE);
    }

    @SagaEventHandler(associationProperty = "reservationId")
    public void on(InferenceSucceeded e) {
        if (isDecided()) {
            return; // an outcome recorded twice, or after the hold expired: the first decision stands
        }
        // Never more than was held: the hold is what the client agreed to risk.
        charge = new CommitCharge(walletId, reservationId, e.cost().min(hold), e.usage(), java.time.Instant.now(), Actor.SYSTEM);
        send(charge);
    }

    @SagaEventHandler(associationProperty = "reservationId")
    public void on(InferenceFailed e) {
        if (isDecided()) {
            return;
        }
        release = new ReleaseReservation(walletId, reservationId, e.reason(), Actor.SYSTEM);
        send(release);
    }

    @DeadlineHandler(deadlineName = EXPIRY_DEADLINE)
    public void expired() {
        if (!isDecided()) {
            release = new ReleaseReservation(walletId, reservationId, EXPIRED, Actor.SYSTEM);
        }
        // Decided but not settled yet: the command was lost or is very late. Send it again; it is idempotent.
        send(charge != null ? charge : release);
        deadlineId = deadlines.schedule(RETRY_AFTER, EXPIRY_DEADLINE);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "reservationId")
    public void on(UsageCharged e) {
        cancelDeadline();
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "reservationId")
    public void on(ReservationReleased e) {
        cancelDeadline();
    }

    private boolean isDecided() {
        return charge != null || release != null;
    }

    private void cancelDeadline() {
        if (deadlineId != null) {
            deadlines.cancelSchedule(EXPIRY_DEADLINE, deadlineId);
        }
    }

    private void send(WalletCommand command) {
        CommandGateway gateway = commands;
        Runnable dispatch = () -> gateway.send(command).whenComplete((result, failure) -> {
            if (failure != null) {
                // Logged with ids only; the deadline sends the settlement again if it never lands.
                log.warn("Settling reservation {} with {} failed: {}", command instanceof CommitCharge c
                        ? c.reservationId() : ((ReleaseReservation) command).reservationId(),
                        command.getClass().getSimpleName(), failure.toString());
            }
        });
        SettlementExecutor later = executor;
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> {
                if (later != null) {
                    later.execute(dispatch);
                } else {
                    dispatch.run();
                }
            });
        } else {
            dispatch.run();
        }
    }
}
