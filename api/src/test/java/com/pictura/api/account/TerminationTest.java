package com.pictura.api.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.pictura.api.IntegrationTest;
import com.pictura.domain.account.AccountCommand.SuspendAccount;
import com.pictura.domain.account.AccountCommand.TerminateAccount;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class TerminationTest extends IntegrationTest {

    @Autowired
    CommandGateway commands;

    @Test
    void terminationEndsAccessAndForfeitsTheUnusedCredits() {
        Person gone = signUp("terminated");
        AccountId account = new AccountId(gone.accountId());

        commands.sendAndWait(new TerminateAccount(account, "abuse report 42", Actor.staff("acct_support")));

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            assertThat(jdbc.sql("select promotional + paid from wallet_balances where account_id = ?")
                    .param(gone.accountId()).query(Long.class).single()).isZero();
            assertThat(jdbc.sql("select count(*) from ledger_lines where wallet_id = ? and kind = 'forfeit'")
                    .param("wal_" + gone.accountId().substring(5)).query(Long.class).single()).isEqualTo(1L);
        });
        // The termination policy ended every session before it forfeited the credits: the old session is unknown.
        var me = http.get("/api/me", gone.session());
        assertThat(me.status()).isEqualTo(401);
        assertThat(jdbc.sql("select count(*) from sessions where account_id = ? and ended_at is null")
                .param(gone.accountId()).query(Long.class).single()).isZero();
        var signIn = http.post("/api/session", null, Map.of("email", gone.email(), "password", gone.password()));
        assertThat(signIn.status()).isEqualTo(403);
        assertThat(signIn.json().at("/error/code").asString()).isEqualTo("account_terminated");
    }

    @Test
    void aSuspendedAccountCanStillSignInAndSeeItsStatus() {
        Person paused = signUp("suspended");

        commands.sendAndWait(new SuspendAccount(new AccountId(paused.accountId()), "chargeback review",
                Actor.staff("acct_support")));

        var me = http.get("/api/me", paused.session());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("status").asString()).isEqualTo("suspended");
    }
}
