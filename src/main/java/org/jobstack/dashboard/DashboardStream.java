package org.jobstack.dashboard;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jobstack.common.DaemonThreads;
import org.jobstack.common.GentleShutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Live parts of the pages over Server-Sent Events: every second each open page gets its live
 * fragment re-rendered (htmx's SSE extension swaps it in), so jobs appear and finish without reload.
 */
@Controller
class DashboardStream {

    private static final Logger log = LoggerFactory.getLogger(DashboardStream.class);
    private static final long TIMEOUT_MILLIS = 30 * 60 * 1000L;

    private final DashboardController pages;
    private final TemplateEngine templates;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    /** Its own thread: a page that stops reading may block a send, never the application's scheduled tasks. */
    private final ScheduledExecutorService pusher =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("dashboard-stream"));

    DashboardStream(DashboardController pages, TemplateEngine templates) {
        this.pages = pages;
        this.templates = templates;
        pusher.scheduleWithFixedDelay(this::pushSafely, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Ends every open page's stream when the server starts shutting down (before the web server's
     * graceful shutdown, which would otherwise wait its whole timeout for these endless requests).
     */
    @EventListener(ContextClosedEvent.class)
    void endStreams() {
        subscribers.forEach(subscriber -> subscriber.emitter.complete());
        subscribers.clear();
    }

    @PreDestroy
    void stop() {
        GentleShutdown.stop(pusher, Duration.ofSeconds(5));
    }

    /** An open page; {@code last} is what it was sent last, so unchanged fragments are not sent again. */
    private static final class Subscriber {
        private final SseEmitter emitter;
        private final String view;
        /** The job id of a job page, the instance filter of an overview. */
        private final String param;

        private String last;

        Subscriber(SseEmitter emitter, String view, String param) {
            this.emitter = emitter;
            this.view = view;
            this.param = param;
        }
    }

    @GetMapping(value = "/dashboard/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(
            @RequestParam String view,
            @RequestParam(required = false) String id,
            @RequestParam(required = false) String domain) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        boolean job = view.equals("job");
        Subscriber subscriber = new Subscriber(emitter, job ? "job" : "overview", job ? id : domain);
        subscribers.add(subscriber);
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        emitter.onTimeout(() -> subscribers.remove(subscriber));
        emitter.onError(e -> subscribers.remove(subscriber));
        return emitter;
    }

    /** A failure must not end the periodic task (an executor drops a task that throws). */
    private void pushSafely() {
        try {
            push();
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("Dashboard stream round failed");
        }
    }

    void push() {
        Map<String, String> overviews = new HashMap<>();
        for (Subscriber subscriber : subscribers) {
            try {
                String html;
                if (subscriber.view.equals("job")) {
                    html = render("dashboard/job", model -> pages.jobModel(subscriber.param, model::setVariable));
                } else {
                    html = overviews.computeIfAbsent(
                            String.valueOf(subscriber.param),
                            key -> render(
                                    "dashboard/overview",
                                    model -> pages.overviewModel(subscriber.param, model::setVariable)));
                }
                if (!html.equals(subscriber.last)) {
                    subscriber.emitter.send(
                            SseEmitter.event().name(subscriber.view).data(html.replace("\n", " ")));
                    subscriber.last = html;
                }
            } catch (IOException | IllegalStateException e) {
                subscribers.remove(subscriber);
            } catch (RuntimeException e) {
                log.atDebug().setCause(e).log("Dashboard stream update failed");
                subscriber.emitter.complete();
                subscribers.remove(subscriber);
            }
        }
    }

    private String render(String template, Consumer<Context> model) {
        Context context = new Context();
        model.accept(context);
        return templates.process(template, Set.of("live"), context);
    }
}
