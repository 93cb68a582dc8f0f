package com.pictura.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.pictura.api.IntegrationTest;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletCommand.GrantCredits;
import com.pictura.domain.wallet.WalletCommand.OpenWallet;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** An event a read model cannot handle is parked in the dead-letter queue, never logged and skipped. */
class DeadLetterTest extends IntegrationTest {

    @Autowired
    CommandGateway commands;

    @Test
    void aFailingHandlerParksTheEventWhileOtherReadModelsGoOn() {
        AccountId account = AccountId.generate();
        WalletId wallet = WalletId.of(account);
        commands.sendAndWait(new OpenWallet(wallet, account, Credits.ZERO, Actor.SYSTEM));
        commands.sendAndWait(new GrantCredits(wallet, "poison-" + wallet.value(), Credits.of(7), "probe", Actor.SYSTEM));

        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> {
            assertThat(jdbc.sql("select count(*) from dead_letter_entry where processing_group = ? "
                    + "and aggregate_identifier = ? and cause_message like '%cannot project poison%'")
                    .params(PoisonedProjection.GROUP, wallet.value()).query(Long.class).single()).isEqualTo(1L);
            assertThat(jdbc.sql("select promotional from wallet_balances where wallet_id = ?").param(wallet.value())
                    .query(Long.class).single()).isEqualTo(7_000_000L);
        });
    }
}
