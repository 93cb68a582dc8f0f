package com.pictura.api.staff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.pictura.api.web.ApiException;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Replays a read model from the first event (its reset handler empties it first) and reports how far it is:
 * the position its slowest segment has reached against the event store's head when the replay began, events
 * per second since then, and when it should be done at that rate. A replay needs every segment of the
 * processor, so other nodes' copies of it must be stopped (or the cluster be one node): otherwise 409.
 */
@Service
public class ProjectionReplays {

    private final EventProcessingConfiguration processors;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    public ProjectionReplays(EventProcessingConfiguration processors, JdbcClient jdbc, Clock clock) {
        this.processors = processors;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private record Run(Instant startedAt, long head, String by, String reason) {
    }

    /**
     * @param state      {@code running}, {@code done} or {@code idle} (no replay since this node started)
     * @param percent    how much of the events up to {@code head} the slowest segment has processed
     */
    public record Progress(String processor, String state, long head, long position, double percent,
                           double eventsPerSecond, Instant startedAt, Instant expectedFinish, String startedBy,
                           String reason) {
    }

    public List<String> replayable() {
        return processors.eventProcessors().values().stream()
                .filter(p -> p instanceof StreamingEventProcessor s && s.supportsReset())
                .map(p -> p.getName()).sorted().toList();
    }

    public Progress start(String name, String by, String reason) {
        StreamingEventProcessor processor = processor(name);
        if (!processor.supportsReset()) {
            throw ApiException.conflict("replay_not_allowed", name + " must not be replayed (it acts, it does not project).");
        }
        long head = head();
        processor.shutDown();
        try {
            processor.resetTokens();
        } catch (RuntimeException e) {
            processor.start();
            throw ApiException.conflict("replay_needs_every_segment", "Another node is running " + name
                    + ": stop its copies first, then replay from one node.");
        }
        runs.put(name, new Run(clock.instant(), head, by, reason));
        processor.start();
        return progress(name);
    }

    public Progress progress(String name) {
        StreamingEventProcessor processor = processor(name);
        Run run = runs.get(name);
        if (run == null) {
            return new Progress(name, "idle", head(), position(processor), 100, 0, null, null, null, null);
        }
        long position = Math.min(position(processor), run.head());
        double seconds = Math.max(0.001, Duration.between(run.startedAt(), clock.instant()).toMillis() / 1000.0);
        double rate = position / seconds;
        boolean done = position >= run.head();
        Instant finish = done ? null : rate <= 0 ? null
                : clock.instant().plusMillis((long) ((run.head() - position) / rate * 1000));
        double percent = run.head() <= 0 ? 100 : Math.floor(1000.0 * position / run.head()) / 10;
        return new Progress(name, done ? "done" : "running", run.head(), position, percent,
                Math.round(rate * 10) / 10.0, run.startedAt(), finish, run.by(), run.reason());
    }

    /** The slowest segment's position: the replay is done when every segment has passed the head. */
    private static long position(StreamingEventProcessor processor) {
        return processor.processingStatus().values().stream()
                .mapToLong(s -> s.getCurrentPosition().orElse(0)).min().orElse(0);
    }

    private long head() {
        return jdbc.sql("select coalesce(max(global_index), 0) from domain_event_entry").query(Long.class).single();
    }

    private StreamingEventProcessor processor(String name) {
        return processors.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> ApiException.notFound("No such read model: " + name + " (GET /audit/replays lists them)."));
    }
}
