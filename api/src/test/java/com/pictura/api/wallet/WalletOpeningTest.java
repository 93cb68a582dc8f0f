package com.pictura.api.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.SQLException;

import com.pictura.api.IntegrationTest;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletCommand.OpenWallet;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A wallet opens once, on PostgreSQL itself: its id follows from the account's, and the event table's unique
 * (aggregate id, sequence) refuses a second first event. This is what makes the sign-up grant impossible to give
 * twice, whatever is retried.
 */
class WalletOpeningTest extends IntegrationTest {

    @Autowired
    CommandGateway commands;

    @Test
    void openingAWalletTwiceFailsOnTheEventStoresUniqueConstraintAndGrantsOnce() {
        AccountId account = AccountId.generate();
        WalletId wallet = WalletId.of(account);
        commands.sendAndWait(new OpenWallet(wallet, account, Credits.of(25), Actor.SYSTEM));

        Throwable second = catchThrowable(() ->
                commands.sendAndWait(new OpenWallet(wallet, account, Credits.of(25), Actor.SYSTEM)));

        assertThat(second).isNotNull();
        SQLException violation = uniqueViolation(second);
        assertThat(violation != null).as("the event store's unique violation in %s", second).isTrue();
        assertThat(violation.getMessage()).contains("domain_event_entry_aggregate_sequence");
        assertThat(jdbc.sql("select payload_type from domain_event_entry where aggregate_identifier = ? "
                        + "order by sequence_number").param(wallet.value()).query(String.class).list())
                .containsExactly("com.pictura.domain.wallet.WalletEvent$WalletOpened",
                        "com.pictura.domain.wallet.WalletEvent$CreditsGranted");
    }

    /** PostgreSQL's unique_violation (23505) somewhere in the chain of causes, or null. */
    private static SQLException uniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return sql;
            }
        }
        return null;
    }
}
