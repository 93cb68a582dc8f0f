package com.pictura.domain.wallet;

import java.util.ArrayList;
import java.util.List;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.test.aggregate.AggregateTestFixture;

/**
 * Sends commands to one {@link CreditWallet} through Axon's {@link AggregateTestFixture}, one at a time: each step
 * is {@code given(every event so far).when(command)}, so the wallet is event-sourced afresh every time and the
 * fixture also checks that the state the handler left equals the state its events rebuild.
 *
 * <p>The fixture exposes neither the events nor the result a step produced, so this reads the events back from the
 * fixture's event store (given + stored) and takes the result or refusal from a command handler interceptor.
 */
final class WalletFixtureDriver {

    /** What one command did: the events it stored, and what its handler returned or threw. */
    record Outcome(List<WalletEvent> events, Object result, Throwable failure) {

        String describe() {
            if (failure != null) {
                return "refused: " + failure.getClass().getSimpleName() + " (" + failure.getMessage() + ")";
            }
            return events.isEmpty() ? "no events" : events.toString();
        }
    }

    private final WalletId walletId;
    private final AggregateTestFixture<CreditWallet> fixture = new AggregateTestFixture<>(CreditWallet.class);
    private final List<WalletEvent> history = new ArrayList<>();
    private Object result;
    private Throwable failure;

    WalletFixtureDriver(WalletId walletId) {
        this.walletId = walletId;
        fixture.registerCommandHandlerInterceptor((unitOfWork, chain) -> {
            try {
                Object answer = chain.proceed();
                result = answer;
                return answer;
            } catch (Exception refusal) {
                failure = refusal;
                throw refusal;
            }
        });
    }

    Outcome execute(WalletCommand command) {
        result = null;
        failure = null;
        (history.isEmpty() ? fixture.givenNoPriorActivity() : fixture.given(new ArrayList<Object>(history)))
                .when(command);
        List<WalletEvent> fresh = new ArrayList<>();
        if (!history.isEmpty() || failure == null) {
            List<WalletEvent> all = fixture.getEventStore().readEvents(walletId.value()).asStream()
                    .map(Message::getPayload)
                    .map(WalletEvent.class::cast)
                    .toList();
            fresh.addAll(all.subList(history.size(), all.size()));
        }
        history.addAll(fresh);
        return new Outcome(List.copyOf(fresh), result, failure);
    }

    /**
     * The wallet's balance as its own state says, event-sourced afresh from everything stored so far (null before it
     * is opened): read after every step, so rules are checked also where no command answered with a balance.
     */
    WalletBalance state() {
        if (history.isEmpty()) {
            return null;
        }
        ResultMessage<WalletBalance> loaded = DefaultUnitOfWork.startAndGet(null).executeWithResult(() ->
                fixture.getRepository().load(walletId.value()).invoke(CreditWallet::balance));
        if (loaded.isExceptional()) {
            Throwable failure = loaded.exceptionResult();
            throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
        }
        return loaded.getPayload();
    }

    List<WalletEvent> history() {
        return List.copyOf(history);
    }
}
