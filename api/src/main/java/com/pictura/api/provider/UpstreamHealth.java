package com.pictura.api.provider;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import java.util.function.Supplier;

import com.pictura.api.catalog.ModelEntry.Upstream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What this node has seen of each upstream lately, and the order a call tries a model's upstreams in.
 *
 * <p>An upstream is <em>sick</em> after {@value #FAILURES_TO_SICK} failures in a row, for the cooldown after the
 * last one: it goes to the end of the order (still a last resort, never dropped). Once the cooldown has passed it
 * takes traffic again; one success makes it healthy, one more failure makes it sick for another cooldown. Within a
 * priority, upstreams share calls by weight, a slower one's weight scaled down by how much slower its recent
 * time to first byte is than the fastest's. Health is each node's own observation: it decides only the order of
 * attempts, never what is charged, so nodes need not agree.
 */
@Component
public class UpstreamHealth {

    static final int FAILURES_TO_SICK = 3;
    /** Weight of the newest latency in the moving average. */
    private static final double LATENCY_WEIGHT = 0.2;

    private final Clock clock;
    private final Duration cooldown;
    private final Supplier<RandomGenerator> random;
    private final ConcurrentMap<String, State> states = new ConcurrentHashMap<>();

    @Autowired
    public UpstreamHealth(Clock clock, @Value("${pictura.gateway.upstream-cooldown:PT30S}") Duration cooldown) {
        this(clock, cooldown, ThreadLocalRandom::current);
    }

    UpstreamHealth(Clock clock, Duration cooldown, Supplier<RandomGenerator> random) {
        this.clock = clock;
        this.cooldown = cooldown;
        this.random = random;
    }

    private static final class State {
        int failuresInARow;
        long lastFailureMillis;
        /** Moving average of the time to first byte; negative until a success is seen. */
        double latencyMillis = -1;
    }

    /** The order to try {@code upstreams} in (they come sorted by priority): healthy by priority and weight, then sick. */
    public List<Upstream> order(List<Upstream> upstreams) {
        if (upstreams.size() == 1) {
            return upstreams;
        }
        List<Upstream> healthy = new ArrayList<>();
        List<Upstream> sick = new ArrayList<>();
        for (Upstream upstream : upstreams) {
            (isSick(upstream) ? sick : healthy).add(upstream);
        }
        List<Upstream> order = new ArrayList<>(upstreams.size());
        int from = 0;
        while (from < healthy.size()) {
            int to = from;
            while (to < healthy.size() && healthy.get(to).priority() == healthy.get(from).priority()) {
                to++;
            }
            order.addAll(byWeight(new ArrayList<>(healthy.subList(from, to))));
            from = to;
        }
        order.addAll(sick);
        return order;
    }

    public boolean isSick(Upstream upstream) {
        State state = states.get(key(upstream));
        if (state == null) {
            return false;
        }
        synchronized (state) {
            return state.failuresInARow >= FAILURES_TO_SICK
                    && clock.millis() - state.lastFailureMillis < cooldown.toMillis();
        }
    }

    /** The upstream answered; {@code firstByteMillis} is how long its first byte took. */
    public void succeeded(Upstream upstream, long firstByteMillis) {
        State state = states.computeIfAbsent(key(upstream), k -> new State());
        synchronized (state) {
            state.failuresInARow = 0;
            state.latencyMillis = state.latencyMillis < 0 ? firstByteMillis
                    : state.latencyMillis + LATENCY_WEIGHT * (firstByteMillis - state.latencyMillis);
        }
    }

    /** The upstream failed: no connection, an error status of its own making, a timeout, or a broken stream. */
    public void failed(Upstream upstream) {
        State state = states.computeIfAbsent(key(upstream), k -> new State());
        synchronized (state) {
            state.failuresInARow++;
            state.lastFailureMillis = clock.millis();
        }
    }

    /** A weighted random order without repeats: each pick's chance is its share of the weight left. */
    private List<Upstream> byWeight(List<Upstream> group) {
        if (group.size() == 1) {
            return group;
        }
        double fastest = group.stream().mapToDouble(this::latency).filter(l -> l > 0).min().orElse(0);
        List<Double> weights = new ArrayList<>();
        for (Upstream upstream : group) {
            double latency = latency(upstream);
            weights.add(upstream.weight() * (fastest > 0 && latency > 0 ? fastest / latency : 1.0));
        }
        List<Upstream> order = new ArrayList<>(group.size());
        RandomGenerator generator = random.get();
        while (!group.isEmpty()) {
            double total = weights.stream().mapToDouble(Double::doubleValue).sum();
            double pick = generator.nextDouble() * total;
            int chosen = 0;
            while (chosen < group.size() - 1 && pick >= weights.get(chosen)) {
                pick -= weights.get(chosen);
                chosen++;
            }
            order.add(group.remove(chosen));
            weights.remove(chosen);
        }
        return order;
    }

    private double latency(Upstream upstream) {
        State state = states.get(key(upstream));
        if (state == null) {
            return -1;
        }
        synchronized (state) {
            return state.latencyMillis;
        }
    }

    private static String key(Upstream upstream) {
        return upstream.name() + " " + upstream.upstreamModel();
    }
}
