package com.pictura.api.axon;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Lets the commands of one aggregate into the (synchronous) command bus one at a time; the others wait here,
 * before a transaction, and so a database connection, is taken for them.
 *
 * <p>Why: Axon's simple command bus begins a command's transaction before it locks the aggregate, so every
 * command waiting for a hot wallet holds a pooled connection while it waits. Sixty-four concurrent calls on one
 * wallet took all twenty connections to wait for one lock, while the lock holder needed one more to store its
 * snapshot: nothing moved until the pool's 30 s timeout. Waiting here costs no connection, and the aggregate lock
 * is then uncontended on this node (several nodes still meet at the event store's unique key, and retry).
 *
 * <p>Lanes are stripes: two aggregates can share one (4,096 of them), which only makes them wait for each other.
 * A command handler never dispatches a command itself, so no thread ever holds two lanes.
 */
final class AggregateLanes implements CommandBus {

    private static final int LANES = 4096;

    private final CommandBus delegate;
    /**
     * The target aggregate's id of a command, by its {@link TargetAggregateIdentifier} component, found once per
     * command class (Axon's resolver scans the class's members again for every command); null without one.
     */
    private static final ClassValue<Function<Object, Object>> TARGETS = new ClassValue<>() {
        @Override
        protected Function<Object, Object> computeValue(Class<?> type) {
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    if (component.getAccessor().isAnnotationPresent(TargetAggregateIdentifier.class)) {
                        return command -> invoke(component, command);
                    }
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (field.isAnnotationPresent(TargetAggregateIdentifier.class) && field.trySetAccessible()) {
                    return command -> read(field, command);
                }
            }
            return command -> null;
        }
    };
    private final ReentrantLock[] lanes = new ReentrantLock[LANES];

    AggregateLanes(CommandBus delegate) {
        this.delegate = delegate;
        for (int i = 0; i < LANES; i++) {
            lanes[i] = new ReentrantLock();
        }
    }

    @Override
    public <C> void dispatch(CommandMessage<C> command) {
        dispatch(command, (message, result) -> {
        });
    }

    @Override
    public <C, R> void dispatch(CommandMessage<C> command, CommandCallback<? super C, ? super R> callback) {
        ReentrantLock lane = laneOf(command);
        if (lane == null) {
            delegate.dispatch(command, callback);
            return;
        }
        lane.lock();
        try {
            // The simple command bus handles the command, and calls back, on this thread before it returns.
            delegate.dispatch(command, callback);
        } finally {
            lane.unlock();
        }
    }

    private ReentrantLock laneOf(CommandMessage<?> command) {
        Object id = TARGETS.get(command.getPayloadType()).apply(command.getPayload());
        if (id == null) {
            return null;
        }
        int h = id.toString().hashCode();
        return lanes[(h ^ (h >>> 16)) & (LANES - 1)];
    }

    private static Object invoke(RecordComponent component, Object command) {
        try {
            return component.getAccessor().invoke(command);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read the target of " + command.getClass().getName(), e);
        }
    }

    private static Object read(Field field, Object command) {
        try {
            return field.get(command);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot read the target of " + command.getClass().getName(), e);
        }
    }

    @Override
    public Registration subscribe(String commandName, MessageHandler<? super CommandMessage<?>> handler) {
        return delegate.subscribe(commandName, handler);
    }

    @Override
    public Registration registerHandlerInterceptor(
            MessageHandlerInterceptor<? super CommandMessage<?>> handlerInterceptor) {
        return delegate.registerHandlerInterceptor(handlerInterceptor);
    }

    @Override
    public Registration registerDispatchInterceptor(
            MessageDispatchInterceptor<? super CommandMessage<?>> dispatchInterceptor) {
        return delegate.registerDispatchInterceptor(dispatchInterceptor);
    }
}
