package com.pictura.api.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.pictura.domain.Refusal;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.WalletCommand;
import com.pictura.domain.wallet.WalletCommand.CommitCharge;
import com.pictura.domain.wallet.WalletCommand.ReleaseReservation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends each hold's one settlement ({@link CommitCharge} or {@link ReleaseReservation}) to its wallet off the
 * request path, and keeps sending it until the wallet has answered. A failure that is not the wallet's answer (the
 * database is away, a node lost an optimistic-lock race too often) is retried with backoff for
 * {@code pictura.gateway.settlement-retry-for}; a refusal is an answer and is never retried. On a planned shutdown
 * the queue is drained (up to {@code pictura.gateway.settlement-drain}) after the web server has finished its
 * requests and before Axon stops.
 *
 * <p>What a hard crash (SIGKILL, power loss) can lose is the settlements still queued or being retried here. Their
 * holds stay open in the ledger and the {@link HoldSweeper} releases them once they expire: such a call is then
 * free for its client, never charged twice.
 */
@Component
public class Settlements implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Settlements.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(50);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final CommandGateway commands;
    private final Duration retryFor;
    private final Duration drainFor;
    /** Several settlements in flight at once: PostgreSQL then flushes their commits together. */
    private final ThreadPoolExecutor senders;
    private final ScheduledExecutorService retries;
    private final AtomicInteger pending = new AtomicInteger();
    private final Counter settled;
    private final Counter retried;
    private final Counter lost;
    private volatile boolean running;

    public Settlements(CommandGateway commands, GatewayProperties properties, MeterRegistry meters) {
        this.commands = commands;
        this.retryFor = properties.settlementRetryFor();
        this.drainFor = properties.settlementDrain();
        int threads = properties.settlementThreads();
        this.senders = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemon("settlement"));
        this.retries = Executors.newSingleThreadScheduledExecutor(daemon("settlement-retry"));
        this.settled = meters.counter("pictura.settlements", "result", "settled");
        this.retried = meters.counter("pictura.settlements", "result", "retried");
        this.lost = meters.counter("pictura.settlements", "result", "given_up");
    }

    /**
     * Sends {@code command} to its wallet, retrying until it lands or is refused.
     *
     * @return completes once the wallet has answered: normally for a settlement applied (or one repeated), with
     *         the refusal for one the wallet refused (e.g. a hold already settled the other way)
     */
    public CompletableFuture<Void> settle(WalletCommand command) {
        return settle(command, Map.of());
    }

    /** As {@link #settle(WalletCommand)}, with {@code metadata} for the event (e.g. the upstream that served). */
    public CompletableFuture<Void> settle(WalletCommand command, Map<String, ?> metadata) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.incrementAndGet();
        CommandMessage<WalletCommand> message = GenericCommandMessage.<WalletCommand>asCommandMessage(command)
                .andMetaData(metadata);
        senders.execute(() -> attempt(message, System.nanoTime() + retryFor.toNanos(), FIRST_RETRY, done));
        return done;
    }

    private void attempt(CommandMessage<WalletCommand> message, long giveUpAt, Duration backoff,
                         CompletableFuture<Void> done) {
        WalletCommand command = message.getPayload();
        try {
            commands.sendAndWait(message);
            settled.increment();
            finish(done, null);
        } catch (Refusal refusal) {
            log.debug("Settlement {} of {} refused: {}", kind(command), reservation(command), refusal.code());
            finish(done, refusal);
        } catch (RuntimeException failure) {
            if (System.nanoTime() - giveUpAt >= 0) {
                lost.increment();
                log.error("Gave up settling reservation {} with {} after {}: {}; the hold is released when it "
                        + "expires", reservation(command), kind(command), retryFor, failure.toString());
                finish(done, failure);
                return;
            }
            retried.increment();
            log.warn("Settling reservation {} with {} failed ({}); retrying in {} ms", reservation(command),
                    kind(command), failure.toString(), backoff.toMillis());
            Duration next = backoff.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY
                    : backoff.multipliedBy(2);
            retries.schedule(() -> senders.execute(() -> attempt(message, giveUpAt, next, done)),
                    backoff.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void finish(CompletableFuture<Void> done, Throwable refusal) {
        if (refusal == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(refusal);
        }
        synchronized (pending) {
            if (pending.decrementAndGet() == 0) {
                pending.notifyAll();
            }
        }
    }

    /** Settlements queued, in flight or waiting for a retry. */
    public int pending() {
        return pending.get();
    }

    private static String kind(WalletCommand command) {
        return command.getClass().getSimpleName();
    }

    private static ReservationId reservation(WalletCommand command) {
        return command instanceof CommitCharge c ? c.reservationId() : ((ReleaseReservation) command).reservationId();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void start() {
        running = true;
    }

    /** Waits for every queued settlement (retries included) before the command bus and the database go away. */
    @Override
    public void stop() {
        long deadline = System.nanoTime() + drainFor.toNanos();
        synchronized (pending) {
            while (pending.get() > 0 && System.nanoTime() < deadline) {
                try {
                    pending.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        int left = pending.get();
        if (left > 0) {
            log.error("Stopping with {} settlement(s) not written after {}; their holds are released when they "
                    + "expire", left, drainFor);
        }
        retries.shutdownNow();
        senders.shutdownNow();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server has finished its requests, before Axon's own components stop. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048 - 10;
    }
}
