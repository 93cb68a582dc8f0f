package com.pictura.api.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletRefusals.InsufficientCredits;
import jakarta.persistence.PersistenceException;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

/**
 * The application's command gateway retries lost races, as the event store reports them, decides a refusal once
 * more, and retries nothing else.
 */
class CommandRetryTest {

    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();
    private final CommandGateway gateway = new AxonInfrastructure().commandGateway(bus);
    private final AtomicInteger attempts = new AtomicInteger();

    @Test
    void aCommandThatLosesAnAppendRaceIsRetried() {
        // What the JPA event store throws when another node appended the same sequence number first.
        failFirst(new ConcurrencyException("An event for aggregate [wal_1] at sequence [4] was already inserted",
                new PersistenceException("could not execute batch",
                        new SQLException("duplicate key value violates unique constraint", "23505"))));

        assertThat(gateway.<String>sendAndWait("reserve")).isEqualTo("done");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aRefusalIsDecidedOnceMoreSinceACachedAggregateMayHaveBeenStale() {
        failFirst(new InsufficientCredits(Credits.of(3), Credits.of(1)));

        assertThat(gateway.<String>sendAndWait("reserve")).isEqualTo("done");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aRefusalOnTheSecondAttemptIsTheAnswer() {
        bus.subscribe(String.class.getName(), command -> {
            attempts.incrementAndGet();
            throw new InsufficientCredits(Credits.of(3), Credits.of(1));
        });

        assertThatThrownBy(() -> gateway.sendAndWait("reserve")).isInstanceOf(InsufficientCredits.class);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void anyOtherFailureIsNotRetried() {
        failFirst(new IllegalStateException("the database is gone"));

        assertThatThrownBy(() -> gateway.sendAndWait("reserve")).isInstanceOf(IllegalStateException.class);
        assertThat(attempts).hasValue(1);
    }

    private void failFirst(RuntimeException failure) {
        bus.subscribe(String.class.getName(), command -> {
            if (attempts.incrementAndGet() == 1) {
                throw failure;
            }
            return "done";
        });
    }
}
