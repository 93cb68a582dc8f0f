package com.pictura.api.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.junit.jupiter.api.Test;

/** One command per aggregate at a time goes into the bus; commands of other aggregates run alongside. */
class AggregateLanesTest {

    @Test
    void commandsOfOneWalletAreHandledOneAtATimeAndThoseOfOthersAlongside() throws Exception {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        Map<WalletId, AtomicInteger> inside = new ConcurrentHashMap<>();
        Map<WalletId, Integer> most = new ConcurrentHashMap<>();
        AtomicInteger insideAll = new AtomicInteger();
        AtomicInteger mostAll = new AtomicInteger();
        bus.subscribe(ReserveCredits.class.getName(), message -> {
            WalletId wallet = ((ReserveCredits) message.getPayload()).walletId();
            int now = inside.computeIfAbsent(wallet, w -> new AtomicInteger()).incrementAndGet();
            most.merge(wallet, now, Math::max);
            mostAll.accumulateAndGet(insideAll.incrementAndGet(), Math::max);
            Thread.sleep(30);
            insideAll.decrementAndGet();
            inside.get(wallet).decrementAndGet();
            return null;
        });
        AggregateLanes lanes = new AggregateLanes(bus);
        WalletId hot = WalletId.of(AccountId.generate());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            WalletId wallet = i % 2 == 0 ? hot : WalletId.of(AccountId.generate());
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int n = 0; n < 3; n++) {
                    lanes.dispatch(GenericCommandMessage.asCommandMessage(new ReserveCredits(wallet,
                            ReservationId.generate(), Credits.of(1), "key", "model", Instant.now(), Actor.SYSTEM)));
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(most.get(hot)).as("four threads on one wallet, one inside at a time").isEqualTo(1);
        assertThat(mostAll.get()).as("other wallets alongside").isGreaterThan(1);
    }
}
