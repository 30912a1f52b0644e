package org.jobstack.job.log;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jobstack.common.DaemonThreads;
import org.jobstack.common.GentleShutdown;
import org.jobstack.job.Job;
import org.jobstack.job.JobStore;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams a job's log lines as Server-Sent Events while it runs: {@code event: log} per line
 * (the JSON:API resource of the line), then {@code event: end} with the job's final state.
 */
@Component
class LogStream {

    static final long POLL_MILLIS = 250;
    static final long MAX_FOLLOW_MILLIS = 3_600_000;

    private final JobStore jobs;
    private final JobLogStore logs;
    private final LogDocuments documents;
    private final Set<SseEmitter> following = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler =
            Executors.newScheduledThreadPool(1, DaemonThreads.named("log-follower"));

    LogStream(JobStore jobs, JobLogStore logs, LogDocuments documents) {
        this.jobs = jobs;
        this.logs = logs;
        this.documents = documents;
    }

    SseEmitter follow(String jobId, int afterSeq) {
        SseEmitter emitter = new SseEmitter(MAX_FOLLOW_MILLIS);
        AtomicInteger seq = new AtomicInteger(afterSeq);
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        following.add(emitter);
        Runnable stop = () -> {
            following.remove(emitter);
            ScheduledFuture<?> t = task.get();
            if (t != null) {
                t.cancel(false);
            }
        };
        emitter.onCompletion(stop);
        emitter.onTimeout(stop);
        emitter.onError(e -> stop.run());
        task.set(scheduler.scheduleWithFixedDelay(
                () -> poll(jobId, seq, emitter, stop), 0, POLL_MILLIS, TimeUnit.MILLISECONDS));
        return emitter;
    }

    private void poll(String jobId, AtomicInteger seq, SseEmitter emitter, Runnable stop) {
        try {
            Job job = jobs.find(jobId).orElse(null);
            List<LogEntry> lines = logs.list(jobId, seq.get(), 500);
            for (LogEntry line : lines) {
                emitter.send(SseEmitter.event()
                        .name("log")
                        .id(String.valueOf(line.seq()))
                        .data(documents.logLine(line)));
                seq.set(line.seq());
            }
            if (job == null || (job.state().isFinal() && lines.isEmpty())) {
                emitter.send(SseEmitter.event()
                        .name("end")
                        .data(
                                job == null
                                        ? Map.of("state", "deleted")
                                        : Map.of(
                                                "state",
                                                job.state().value(),
                                                "error",
                                                job.error() == null ? "" : job.error())));
                emitter.complete();
                stop.run();
            }
        } catch (IOException | IllegalStateException clientGone) {
            stop.run();
        } catch (RuntimeException e) {
            emitter.completeWithError(e);
            stop.run();
        }
    }

    /**
     * Ends every stream still following when the server starts shutting down (before the web
     * server's graceful shutdown, which would otherwise wait its whole timeout for them); a client
     * sees the stream end without an {@code end} event and may follow again on another node.
     */
    @EventListener(ContextClosedEvent.class)
    void endStreams() {
        following.forEach(SseEmitter::complete);
        following.clear();
    }

    @PreDestroy
    void shutdown() {
        GentleShutdown.stop(scheduler, Duration.ofSeconds(5));
    }
}
