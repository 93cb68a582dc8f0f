package com.pictura.api.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.pictura.api.IntegrationTest;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletBalance;
import com.pictura.domain.wallet.WalletCommand.CommitCharge;
import com.pictura.domain.wallet.WalletCommand.OpenWallet;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Many more concurrent commands on one wallet than the connection pool has connections, across several snapshots:
 * all of them are handled, none waits for a connection that never comes, and the balance is exact.
 */
class HotWalletTest extends IntegrationTest {

    private static final int THREADS = 64;
    private static final int PAIRS_EACH = 4;

    @Autowired
    CommandGateway commands;

    @Test
    void sixtyFourThreadsOnOneWalletAllGetThroughAndTheBalanceIsExact() throws Exception {
        AccountId account = AccountId.generate();
        WalletId wallet = WalletId.of(account);
        commands.sendAndWait(new OpenWallet(wallet, account, Credits.of(10_000), Actor.SYSTEM));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < PAIRS_EACH; i++) {
                    ReservationId hold = ReservationId.generate();
                    commands.sendAndWait(new ReserveCredits(wallet, hold, Credits.of(2), "key_hot", "sdxl",
                            Instant.now().plusSeconds(600), Actor.SYSTEM));
                    commands.sendAndWait(new CommitCharge(wallet, hold, Credits.of(1), Usage.NONE, Instant.now(),
                            Actor.SYSTEM));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            // A command that waited 30 s for a connection failed, and fails the test here.
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // 512 commands after the opening: several snapshots were taken (one per 100 events) while threads waited.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                jdbc.sql("select count(*) from snapshot_event_entry where aggregate_identifier = ?")
                        .param(wallet.value()).query(Long.class).single()).isPositive());
        ReservationId last = ReservationId.generate();
        WalletBalance after = commands.sendAndWait(new ReserveCredits(wallet, last, Credits.of(1), "key_hot", "sdxl",
                Instant.now().plusSeconds(600), Actor.SYSTEM));
        assertThat(after.available()).isEqualTo(Credits.of(10_000 - THREADS * PAIRS_EACH - 1));
        assertThat(after.reserved()).isEqualTo(Credits.of(1));
    }
}
