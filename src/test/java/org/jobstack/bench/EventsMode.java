package org.jobstack.bench;

import static org.jobstack.bench.ScaleBench.fmt;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * {@code -Dmode=events}: events in, jobs out. A fresh server on {@code database} (PostgreSQL by
 * default: the harness inserts triggers while it runs) and one instance with one {@code @event}
 * trigger of the {@code log} worker on {@code io.cozy.bench.events:CREATED}. {@code
 * eventClients} connections post batches of {@code batch} such events (distinct documents) to
 * {@code POST /instances/:domain/events} for {@code duration} seconds, after {@code warmup}
 * seconds, in three stages, the instance having: {@code few} other {@code @event} triggers on
 * other doctypes; {@code many} of them; and {@code many} more on the same doctype whose rule names
 * documents that never come ({@code io.cozy.bench.events:CREATED:other-N}), so each event is
 * checked against every one of them. Triggers are inserted straight into the database, as
 * {@code POST /jobs/triggers} writes them (a {@code job_trigger} row and its {@code
 * trigger_doctype} row). Each stage prints events/s accepted, jobs/s stored (counted in the {@code
 * job} table), the server JVM's CPU per event, and the jobs still queued at its end (whether the
 * queue kept up with ingestion).
 */
final class EventsMode {

    static final String DOCTYPE = "io.cozy.bench.events";

    private final ScaleServers servers;
    private final PrintStream out;
    private final int clientCount;
    private final int batch;
    private final int few;
    private final int many;
    private final Duration warmup;
    private final Duration duration;
    private final String databaseKind;

    EventsMode(ScaleSettings settings, ScaleServers servers, PrintStream out) {
        this.servers = servers;
        this.out = out;
        this.clientCount = settings.integer("eventClients", 4);
        this.batch = settings.integer("batch", 100);
        this.few = settings.integer("few", 10);
        this.many = settings.integer("many", 100_000);
        this.warmup = Duration.ofSeconds(settings.integer("warmup", 10));
        this.duration = Duration.ofSeconds(settings.integer("duration", 20));
        this.databaseKind = settings.text("database", "postgres");
    }

    /** What the stages post to, and where they count its jobs. */
    private record Target(
            ScaleServers.Server server, ScaleServers.Database database, Clients clients, String trigger) {}

    private record Stage(
            String label, double eventsPerSecond, double jobsPerSecond, double cpuPerEvent, long queued, long failed) {}

    void run() throws Exception {
        ScaleServers.Database database = servers.database(databaseKind);
        if (!database.sharedWhileRunning()) {
            throw new IllegalArgumentException("-Dmode=events inserts triggers while the server runs: use postgres");
        }
        try (ScaleServers.Server server = servers.start(database, ScaleBench.NO_RATE_LIMITS);
                Clients clients = new Clients(clientCount)) {
            Instance instance =
                    Instance.create(server.api(), "events.test", servers.passphrase(), "io.cozy.jobs io.cozy.triggers");
            Target target = new Target(
                    server,
                    database,
                    clients,
                    instance.trigger(
                            "{\"type\":\"@event\",\"arguments\":\"" + DOCTYPE + ":CREATED\",\"worker\":\"log\"}"));
            Clients.Call post = new Clients.Call(
                    "events",
                    n -> instance.adminPost("/instances/" + instance.domain() + "/events", events(n, batch)),
                    202);
            StoreFiller filler = new StoreFiller(database);
            out.printf(
                    "%nevents: batches of %d events matched by one @event trigger, %d connections, %s, server pid %d;"
                            + " warm-up %d s, %d s per stage%n",
                    batch, clientCount, database.kind(), server.pid(), warmup.toSeconds(), duration.toSeconds());
            clients.during(warmup, List.of(post));

            List<Stage> stages = new ArrayList<>();
            insert(filler, instance, few, EventsMode::otherRule);
            stages.add(stage(fmt(few) + " on other doctypes", target, post));
            insert(filler, instance, many - few, EventsMode::otherRule);
            stages.add(stage(fmt(many) + " on other doctypes", target, post));
            insert(filler, instance, many, k -> DOCTYPE + ":CREATED:other-" + k);
            stages.add(stage(fmt(many) + " on other doctypes + " + fmt(many) + " on the same doctype", target, post));
            ScaleBench.printFailures(out, "events", clients);
            out.printf(
                    "%n| date | database | batch × connections | the instance's other triggers | events/s | jobs/s stored"
                            + " | server CPU ms/event | queued at the end | batches failed |%n|---|---|---|---|---|---|---|---|---|%n");
            for (Stage s : stages) {
                out.printf(
                        "| %s | %s | %d × %d | %s | %s | %s | %.3f | %d | %d |%n",
                        LocalDate.now(),
                        database.kind(),
                        batch,
                        clientCount,
                        s.label(),
                        fmt(s.eventsPerSecond()),
                        fmt(s.jobsPerSecond()),
                        s.cpuPerEvent(),
                        s.queued(),
                        s.failed());
            }
        }
    }

    private void insert(StoreFiller filler, Instance instance, int count, IntFunction<String> rule)
            throws SQLException {
        double seconds = filler.eventTriggers(instance.domain(), count, rule);
        out.printf("  %s triggers inserted in %.1f s%n", fmt(count), seconds);
    }

    private Stage stage(String label, Target target, Clients.Call post) throws InterruptedException {
        String jobs = "SELECT COUNT(*) FROM job WHERE trigger_id = ?";
        long jobsBefore = target.database().count(jobs, target.trigger());
        double cpu = ProcStats.cpuMillis(target.server().pid());
        Clients.Tally tally = target.clients().during(duration, List.of(post));
        double cpuMillis = ProcStats.cpuMillis(target.server().pid()) - cpu;
        long events = tally.ok("events") * batch;
        Stage stage = new Stage(
                label,
                events / tally.seconds(),
                (target.database().count(jobs, target.trigger()) - jobsBefore) / tally.seconds(),
                cpuMillis / Math.max(1, events),
                target.database().count("SELECT COUNT(*) FROM job WHERE state = 'queued'"),
                tally.failed().getOrDefault("events", 0L));
        out.printf(
                "  %s: %s events/s, %s jobs/s stored, server CPU %.3f ms/event, %d jobs queued at the end,"
                        + " %d batches failed (%.1f s)%n",
                label,
                fmt(stage.eventsPerSecond()),
                fmt(stage.jobsPerSecond()),
                stage.cpuPerEvent(),
                stage.queued(),
                stage.failed(),
                tally.seconds());
        return stage;
    }

    /** {@code count} events of distinct documents of {@link #DOCTYPE}, as the stack posts them. */
    static String events(int n, int count) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"verb\":\"CREATED\",\"doctype\":\"")
                    .append(DOCTYPE)
                    .append("\",\"doc\":{\"_id\":\"e")
                    .append(n)
                    .append('-')
                    .append(i)
                    .append("\",\"n\":")
                    .append(i)
                    .append("}}");
        }
        return body.append(']').toString();
    }

    /** The rule of the k-th trigger on other doctypes: 500 doctypes, as many apps' own. */
    private static String otherRule(int k) {
        return "io.cozy.other" + (k % 500) + ":CREATED,UPDATED";
    }
}
