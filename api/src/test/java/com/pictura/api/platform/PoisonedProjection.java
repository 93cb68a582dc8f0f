package com.pictura.api.platform;

import com.pictura.domain.wallet.WalletEvent.CreditsGranted;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * A read model that fails on purpose (test sources only): grants whose id starts with {@code poison} make it
 * throw, so {@link DeadLetterTest} can watch where such an event goes.
 */
@Component
@ProcessingGroup(PoisonedProjection.GROUP)
class PoisonedProjection {

    static final String GROUP = "poisoned-probe";

    @EventHandler
    void on(CreditsGranted e) {
        if (e.grantId().startsWith("poison")) {
            throw new IllegalStateException("cannot project " + e.grantId());
        }
    }
}
