package com.pictura.api.account;

import com.pictura.api.security.Sessions;
import com.pictura.domain.account.AccountEvent.AccountTerminated;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.WalletCommand.ForfeitCredits;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * What termination sets in motion (Terms §10): access ends at once (every session of the account) and its unused
 * credits are forfeited, which also closes the wallet. Never on a replay: a rebuilt read model must not forfeit
 * anything again. Forfeiting a closed wallet changes nothing, so a redelivered event is harmless.
 */
@Component
@ProcessingGroup(TerminationPolicy.GROUP)
@DisallowReplay
public class TerminationPolicy {

    public static final String GROUP = "termination-policy";

    private final CommandGateway commands;
    private final Sessions sessions;

    public TerminationPolicy(CommandGateway commands, Sessions sessions) {
        this.commands = commands;
        this.sessions = sessions;
    }

    @EventHandler
    void on(AccountTerminated e) {
        sessions.endAll(e.accountId());
        commands.sendAndWait(new ForfeitCredits(WalletId.of(e.accountId()), "account terminated: " + e.reason(),
                Actor.SYSTEM));
    }
}
