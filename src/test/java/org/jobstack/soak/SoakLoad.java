package org.jobstack.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.jobstack.support.Api;

/**
 * A bounded mixed load on a running server, through its HTTP API only: document events, webhook
 * calls, trigger launches, queue calls (log jobs and node service jobs), app updates, installs and
 * uninstalls, job listings and dashboard pages. Each call is one {@link Kind}; {@link #next} makes
 * the calls of a round-robin schedule and counts the answers it expected and those it did not.
 */
public final class SoakLoad {

    /** What a call does, and which statuses mean it went as it should. */
    public enum Kind {
        EVENTS(202),
        WEBHOOK(204),
        LAUNCH(201),
        QUEUE_LOG(202),
        QUEUE_SERVICE(202),
        APP_UPDATE(202),
        APP_INSTALL_CYCLE(200, 202),
        JOB_LISTING(200),
        DASHBOARD(200);

        final Set<Integer> expected;

        Kind(Integer... expected) {
            this.expected = Set.of(expected);
        }
    }

    /** The schedule: most calls are cheap; node jobs and app changes come less often. */
    private static final List<Kind> ROUND = List.of(
            Kind.EVENTS,
            Kind.WEBHOOK,
            Kind.QUEUE_LOG,
            Kind.JOB_LISTING,
            Kind.LAUNCH,
            Kind.EVENTS,
            Kind.DASHBOARD,
            Kind.WEBHOOK,
            Kind.QUEUE_LOG,
            Kind.QUEUE_SERVICE,
            Kind.EVENTS,
            Kind.JOB_LISTING,
            Kind.WEBHOOK,
            Kind.QUEUE_LOG,
            Kind.LAUNCH,
            Kind.DASHBOARD,
            Kind.EVENTS,
            Kind.APP_UPDATE,
            Kind.WEBHOOK,
            Kind.APP_INSTALL_CYCLE);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Api api;
    private final Path app;
    private final String passphrase;
    private final AtomicLong round = new AtomicLong();
    private final Map<Kind, AtomicLong> ok = new ConcurrentHashMap<>();
    private final Map<Kind, AtomicLong> unexpected = new ConcurrentHashMap<>();
    private final Map<String, String> lastUnexpected = new ConcurrentHashMap<>();
    private String domain;
    private String token;
    private String spare;
    private String spareToken;
    private String eventTrigger;
    private String webhook;
    private String launchable;
    private String cookie;

    public SoakLoad(Api api, Path app, String passphrase) {
        this.api = api;
        this.app = app;
        this.passphrase = passphrase;
    }

    /** Two instances, the app installed in the first, its triggers, and a dashboard session. */
    public void setUp() throws Exception {
        domain = api.newInstance(null);
        token = api.cliToken(domain, "io.cozy.jobs io.cozy.triggers io.cozy.apps");
        spare = api.newInstance(null);
        spareToken = api.cliToken(spare, "io.cozy.apps");
        require(api.call(domain, token, "POST", "/apps/probe?Source=" + source(), null), 202);
        eventTrigger = trigger("{\"type\":\"@event\",\"arguments\":\"io.cozy.soak:CREATED\",\"worker\":\"log\"}");
        webhook = trigger("{\"type\":\"@webhook\",\"worker\":\"log\",\"debounce\":\"2s\"}");
        launchable = trigger("{\"type\":\"@in\",\"arguments\":\"1000h\",\"worker\":\"log\"}");
        cookie = HTTP.send(
                        HttpRequest.newBuilder(URI.create(admin("/dashboard/login")))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("passphrase=" + Api.enc(passphrase)))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .headers()
                .firstValue("Set-Cookie")
                .orElseThrow(() -> new IllegalStateException("no dashboard session"))
                .split(";")[0];
    }

    /** Makes the next call of the schedule; safe to call from several threads. */
    public void next() throws Exception {
        long n = round.getAndIncrement();
        Kind kind = ROUND.get((int) (n % ROUND.size()));
        int status = call(kind, n);
        if (kind.expected.contains(status)) {
            ok.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        } else {
            unexpected.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            lastUnexpected.put(kind.name(), String.valueOf(status));
        }
    }

    private int call(Kind kind, long n) throws Exception {
        return switch (kind) {
            case EVENTS ->
                api.admin("POST", "/instances/" + domain + "/events", events(n, 20))
                        .status();
            case WEBHOOK ->
                api.call(domain, null, "POST", "/jobs/webhooks/" + webhook, "{\"n\":" + n + "}")
                        .status();
            case LAUNCH ->
                api.call(domain, token, "POST", "/jobs/triggers/" + launchable + "/launch", null)
                        .status();
            case QUEUE_LOG -> queue("log", "{\"message\":\"soak " + n + "\"}");
            case QUEUE_SERVICE -> queue("service", "{\"slug\":\"probe\",\"name\":\"slow\"}");
            case APP_UPDATE ->
                api.call(domain, token, "PUT", "/apps/probe?Source=" + source(), null)
                        .status();
            case APP_INSTALL_CYCLE ->
                (n / ROUND.size()) % 2 == 0
                        ? api.call(spare, spareToken, "POST", "/apps/probe?Source=" + source(), null)
                                .status()
                        : api.call(spare, spareToken, "DELETE", "/apps/probe", null)
                                .status();
            case JOB_LISTING ->
                api.call(domain, token, "GET", "/jobs/triggers/" + eventTrigger + "/jobs", null)
                        .status();
            case DASHBOARD ->
                HTTP.send(
                                HttpRequest.newBuilder(URI.create(admin(n % 2 == 0 ? "/dashboard" : "/dashboard/jobs")))
                                        .header("Cookie", cookie)
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
        };
    }

    /** Calls that went as expected, by kind, since the start. */
    public Map<Kind, Long> ok() {
        return snapshot(ok);
    }

    /** Calls answered otherwise (an error status, a refusal), by kind, since the start. */
    public Map<Kind, Long> unexpected() {
        return snapshot(unexpected);
    }

    /** The last unexpected status of each kind that had one. */
    public Map<String, String> lastUnexpected() {
        return Map.copyOf(lastUnexpected);
    }

    public String domain() {
        return domain;
    }

    private int queue(String worker, String arguments) {
        return api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/queue/" + worker,
                        "{\"data\":{\"attributes\":{\"arguments\":" + arguments + "}}}")
                .status();
    }

    private static String events(long n, int count) {
        IntFunction<String> event = i -> "{\"verb\":\"" + (i == 0 ? "CREATED" : "UPDATED")
                + "\",\"doctype\":\"io.cozy.soak\",\"doc\":{\"_id\":\"s" + n + "-" + i + "\"}}";
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append(event.apply(i));
        }
        return body.append(']').toString();
    }

    private String trigger(String attributes) {
        Api.Response r =
                api.call(domain, token, "POST", "/jobs/triggers", "{\"data\":{\"attributes\":" + attributes + "}}");
        require(r, 201);
        return r.json().path("data").path("id").asString();
    }

    private String source() {
        return Api.enc(app.toUri().toString());
    }

    private String admin(String path) {
        return "http://127.0.0.1:" + api.adminPort() + path;
    }

    private static void require(Api.Response r, int status) {
        if (r.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + r.status() + ": " + r.body());
        }
    }

    private static Map<Kind, Long> snapshot(Map<Kind, AtomicLong> counts) {
        Map<Kind, Long> copy = new EnumMap<>(Kind.class);
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    static Duration pause(int callsPerSecond, int threads) {
        return Duration.ofNanos(1_000_000_000L * threads / callsPerSecond);
    }
}
