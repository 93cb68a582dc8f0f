package com.pictura.api.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.pictura.domain.actor.ActorCorrelation;
import com.pictura.domain.inference.InferenceEvent;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Records call outcomes as events without making any response wait for it: outcomes queue up and one thread
 * stores them in batches (one transaction for many calls). The {@code InferenceSaga} settles each hold from
 * there. Should a node die with outcomes still queued, their holds are released by the saga's deadline: the
 * client is then charged nothing, never twice.
 */
@Component
public class OutcomeRecorder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutcomeRecorder.class);
    private static final int BATCH = 256;

    private final EventGateway events;
    private final TransactionManager transactions;
    private final BlockingQueue<EventMessage<?>> queue = new LinkedBlockingQueue<>(100_000);
    private volatile boolean running;
    private Thread worker;

    public OutcomeRecorder(EventGateway events, TransactionManager transactions) {
        this.events = events;
        this.transactions = transactions;
    }

    public void record(InferenceEvent outcome, String actor) {
        EventMessage<?> message = GenericEventMessage.asEventMessage(outcome)
                .andMetaData(Map.of(ActorCorrelation.ACTOR, actor));
        if (!queue.offer(message)) {
            store(List.of(message)); // back-pressure: the caller stores it itself rather than lose it
        }
    }

    private void drain() {
        List<EventMessage<?>> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                EventMessage<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                store(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Could not record {} call outcome(s); their holds will be released at expiry", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }

    private void store(List<EventMessage<?>> batch) {
        transactions.executeInTransaction(() -> events.publish(batch));
    }

    @Override
    public void start() {
        running = true;
        worker = new Thread(this::drain, "outcome-recorder");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        running = false;
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
