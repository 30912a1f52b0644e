package org.jobstack.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobstack.support.Api;
import org.jobstack.support.ClusterNode;
import org.jobstack.support.Databases;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A cluster of real servers ({@code java -jar target/jobstack.jar}, one JVM each) on one embedded
 * PostgreSQL, measured side by side in one run:
 *
 * <ul>
 *   <li><b>(a) throughput</b> with 1, 2 and 3 nodes: {@code logs} no-op {@code log} jobs, then
 *       {@code services} trivial {@code service} jobs (an empty node script), queued over HTTP by
 *       {@code clients} threads through every node in turn; the time from the first request to the
 *       last job done (read in the database every 20 ms), and jobs/s. Each node is warmed up once
 *       (jobs queued through it alone) before its first measurement. Nodes are added one by one on
 *       the same database, each measurement on a fresh instance.
 *   <li><b>(b) wake-up latency</b>, with nodes {@code a} and {@code b}: every {@code service} slot
 *       of {@code a} is taken by a sleeping job (queued before {@code b} starts, so {@code a} holds
 *       them), {@code b} is idle. {@code samples} trivial service jobs are queued through {@code a},
 *       at random (Poisson) times, {@code rate} per second; each sample is the time from the 202
 *       answer to the job's {@code started_at}, which {@code b} writes when it claims the job (same
 *       machine clock; the node process spawn is not included). {@code a} cannot take the job, so
 *       this is the time for another node to notice it: today {@code b}'s poll ({@code
 *       jobstack.jobs.poll-interval}, 1 s), so about half of it on average. The same samples queued
 *       through {@code b} itself (which is woken at once) are the reference: about 0, even below
 *       0 when {@code b} claims the job before the 202 has reached the client. {@code b} has 4 service
 *       slots (2 per CPU here): a sample arriving when more than 4 came within one poll also
 *       waits for a slot (a few tens of ms); hence the low default rate.
 *   <li><b>(c) the cost of notifications on enqueue</b>: two fresh nodes {@code a} and {@code b}
 *       started with {@code jobstack.cluster.notifications} on, then off, {@code rounds} times (a
 *       fresh pair each time, interleaved so that the machine's drift falls on both). The {@code log}
 *       worker is paused (a {@code worker_pause} row), so jobs only pile up: {@code enqueues} log
 *       jobs are queued over HTTP through {@code a} by {@code clients} threads after a warm-up of
 *       2 000, and the rate of 202 answers is measured. With notifications on, every job queued
 *       wakes {@code b} through {@code NOTIFY} (which reads the pause and claims nothing), so the
 *       difference is what notifying costs the path of a job into the queue.
 * </ul>
 *
 * {@code -Dparts=throughput,latency,notify} chooses the parts (all by default).
 *
 * Needs the packaged jar; {@code bench/cluster.sh} builds it first.
 *
 * <pre>bench/cluster.sh [-Dlogs=3000 -Dservices=300 -Dclients=8 -Dsamples=200 -Drate=3 -Dpoll=1s]</pre>
 */
public final class ClusterBench {

    private static final int LOGS = Integer.getInteger("logs", 3_000);
    private static final int SERVICES = Integer.getInteger("services", 300);
    private static final int CLIENTS = Integer.getInteger("clients", 8);
    private static final int SAMPLES = Integer.getInteger("samples", 200);
    private static final double RATE = Double.parseDouble(System.getProperty("rate", "3"));
    private static final String POLL = System.getProperty("poll", "1s");
    private static final int ENQUEUES = Integer.getInteger("enqueues", 5_000);
    private static final int ROUNDS = Integer.getInteger("rounds", 2);
    private static final List<String> PARTS =
            List.of(System.getProperty("parts", "throughput,latency,notify").split(","));
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final String SCOPE = "io.cozy.jobs io.cozy.apps";

    private final Path root;
    private final JdbcClient db;
    private final List<ClusterNode> nodes = new ArrayList<>();
    private final List<String> settings;
    private final Path build;
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    private final AtomicInteger instances = new AtomicInteger();

    private ClusterBench(Path root, String url) throws Exception {
        this.root = root;
        this.db = JdbcClient.create(new DriverManagerDataSource(url, "postgres", "postgres"));
        this.settings = List.of(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--jobstack.jobs.poll-interval=" + POLL,
                "--jobstack.jobs.rate-limits.job-service=0");
        this.build = Files.createDirectories(root.resolve("build/services")).getParent();
        Files.writeString(build.resolve("services/noop.js"), "// a service that does nothing\n");
        Files.writeString(
                build.resolve("services/sleep.js"),
                "const f = JSON.parse(process.env.COZY_FIELDS || '{}'); setTimeout(() => {}, f.ms || 1000)\n");
        Files.writeString(build.resolve("manifest.webapp"), """
                {"name":"Bench","slug":"bench","version":"1.0.0","type":"webapp",
                 "services":{"noop":{"file":"services/noop.js"},"sleep":{"file":"services/sleep.js"}}}""");
    }

    public static void main(String[] args) throws Exception {
        // the Api sends the instance's Host header (bench/cluster.sh also sets it in MAVEN_OPTS)
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        if (!Files.isRegularFile(ClusterNode.JAR)) {
            throw new IllegalStateException(ClusterNode.JAR + " is missing: run ./mvnw -DskipTests package first");
        }
        Path root = Files.createDirectories(
                Path.of("target/cluster-bench").toAbsolutePath().resolve("run-" + System.currentTimeMillis()));
        System.out.printf(
                "ClusterBench: cpus=%d java=%s logs=%d services=%d clients=%d samples=%d rate=%.1f/s poll-interval=%s"
                        + "%n  node logs under %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                LOGS,
                SERVICES,
                CLIENTS,
                SAMPLES,
                RATE,
                POLL,
                root);
        ClusterBench bench = new ClusterBench(root, Databases.newDurablePostgresDatabase());
        try {
            bench.run();
        } finally {
            bench.close();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        if (PARTS.contains("throughput") || PARTS.contains("latency")) {
            throughputAndLatency();
        }
        if (PARTS.contains("notify")) {
            notificationCost();
        }
    }

    /** (c): enqueue rates through a, notifications on and off in turn, b listening. */
    private void notificationCost() throws Exception {
        Map<Boolean, List<Double>> rates = new LinkedHashMap<>();
        int round = 0;
        List<Boolean> order = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            order.addAll(List.of(true, false));
        }
        for (boolean notify : order) {
            round++;
            List<String> flag = new ArrayList<>(settings);
            flag.add("--jobstack.cluster.notifications=" + notify);
            List<ClusterNode> pair = List.of(
                    ClusterNode.of("na" + round, root.resolve("na" + round), List.of("-Xmx512m"), flag),
                    ClusterNode.of("nb" + round, root.resolve("nb" + round), List.of("-Xmx512m"), flag));
            ClusterNode.startAll(pair, START_TIMEOUT);
            try {
                db.sql("DELETE FROM worker_pause WHERE worker = 'log'").update();
                db.sql(
                                "INSERT INTO worker_pause (worker, paused_at, paused_by) VALUES ('log', CURRENT_TIMESTAMP, 'bench')")
                        .update();
                Thread.sleep(3_000);
                String domain = newInstance(pair.get(0));
                String token = pair.get(0).api().cliToken(domain, SCOPE);
                enqueue(pair.get(0), domain, token, 2_000);
                long start = System.nanoTime();
                enqueue(pair.get(0), domain, token, ENQUEUES);
                double rate = ENQUEUES / ((System.nanoTime() - start) / 1e9);
                rates.computeIfAbsent(notify, k -> new ArrayList<>()).add(rate);
                System.out.printf("notifications %s: %.0f enqueues/s%n", notify ? "on " : "off", rate);
            } finally {
                for (ClusterNode node : pair) {
                    node.close();
                }
            }
        }
        db.sql("DELETE FROM worker_pause WHERE worker = 'log'").update();
        double on = median(rates.get(true));
        double off = median(rates.get(false));
        System.out.printf(
                "%n(c) enqueue over HTTP through a, %d log jobs (worker paused), %d clients, b listening%n",
                ENQUEUES, CLIENTS);
        System.out.printf("%-18s | %s%n", "notifications on", rates.get(true));
        System.out.printf("%-18s | %s%n", "notifications off", rates.get(false));
        System.out.printf("median on %.0f/s, off %.0f/s: ratio on/off %.2f%n", on, off, on / off);
    }

    private void enqueue(ClusterNode via, String domain, String token, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Callable<Void>> senders = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            senders.add(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    Api.Response r =
                            via.api().call(domain, token, "POST", "/jobs/queue/log", "{\"data\":{\"attributes\":{}}}");
                    if (r.status() != 202) {
                        throw new IllegalStateException(r.status() + " " + r.body());
                    }
                }
                return null;
            });
        }
        for (Future<Void> f : clients.invokeAll(senders)) {
            f.get();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private void throughputAndLatency() throws Exception {
        Map<Integer, String[]> throughput = new LinkedHashMap<>();

        ClusterNode a = addNode("a");
        throughput.put(1, throughput());

        String latencyDomain = newInstance(a);
        String token = a.api().cliToken(latencyDomain, SCOPE);
        List<String> busy = occupyServiceSlots(a, latencyDomain, token);
        ClusterNode b = addNode("b");
        double[] crossNode = latencies(a, latencyDomain, token);
        double[] sameNode = latencies(b, latencyDomain, token);
        if (!stillRunningOn(busy, "a")) {
            throw new IllegalStateException("a's slots were not busy for the whole measure");
        }
        for (String id : busy) {
            a.api().call(latencyDomain, token, "POST", "/jobs/" + id + "/cancel", null);
        }
        throughput.put(2, throughput());

        addNode("c");
        throughput.put(3, throughput());

        System.out.printf("%n(a) throughput, jobs queued over HTTP through every node, until all are done%n");
        System.out.printf(
                "%-6s | %-30s | %-30s%n", "nodes", LOGS + " log jobs: jobs/s (queued in)", SERVICES + " service jobs");
        throughput.forEach((n, row) -> System.out.printf("%-6d | %-30s | %-30s%n", n, row[0], row[1]));
        System.out.printf(
                "%n(b) wake-up latency: 202 answer -> started_at, %d samples each, Poisson arrivals at %.1f/s,"
                        + " poll-interval %s%n",
                SAMPLES, RATE, POLL);
        System.out.printf("%-46s | %8s | %8s | %8s | %8s%n", "", "p50 ms", "p99 ms", "max ms", "mean ms");
        printLatencies("queued through a (all slots busy), run by b", crossNode);
        printLatencies("queued through b, run by b (reference)", sameNode);
    }

    private ClusterNode addNode(String id) throws Exception {
        ClusterNode node = ClusterNode.of(id, root.resolve(id), List.of("-Xmx512m"), settings);
        Instant start = Instant.now();
        node.launch().awaitHealthy(START_TIMEOUT);
        nodes.add(node);
        System.out.printf(
                "node %s up in %d ms; warming it up%n",
                id, Duration.between(start, Instant.now()).toMillis());
        String domain = newInstance(node);
        String token = node.api().cliToken(domain, SCOPE);
        install(node, domain, token);
        timeJobs(List.of(node), domain, token, "log", 300);
        timeJobs(List.of(node), domain, token, "service", 30);
        return node;
    }

    /** Log jobs then service jobs through every node up; each cell "jobs/s (queued in s)". */
    private String[] throughput() throws Exception {
        String domain = newInstance(nodes.get(0));
        String token = nodes.get(0).api().cliToken(domain, SCOPE);
        install(nodes.get(0), domain, token);
        String logs = timeJobs(nodes, domain, token, "log", LOGS);
        String services = timeJobs(nodes, domain, token, "service", SERVICES);
        System.out.printf("%d node(s): log %s, service %s%n", nodes.size(), logs, services);
        return new String[] {logs, services};
    }

    private String timeJobs(List<ClusterNode> through, String domain, String token, String worker, int count)
            throws Exception {
        String body = worker.equals("log")
                ? "{\"data\":{\"attributes\":{}}}"
                : "{\"data\":{\"attributes\":{\"arguments\":{\"slug\":\"bench\",\"name\":\"noop\"}}}}";
        int before = finished(domain, worker);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Callable<Void>> senders = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            senders.add(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    Api.Response r = through.get(i % through.size())
                            .api()
                            .call(domain, token, "POST", "/jobs/queue/" + worker, body);
                    if (r.status() != 202) {
                        throw new IllegalStateException(r.status() + " " + r.body());
                    }
                }
                return null;
            });
        }
        for (Future<Void> f : clients.invokeAll(senders)) {
            f.get();
        }
        long queued = System.nanoTime();
        while (finished(domain, worker) - before < count) {
            Thread.sleep(20);
        }
        long done = System.nanoTime();
        int errored = db.sql("SELECT COUNT(*) FROM job WHERE domain = ? AND worker = ? AND state = 'errored'")
                .params(domain, worker)
                .query(Integer.class)
                .single();
        double seconds = (done - start) / 1e9;
        return String.format(
                "%.0f/s (%.1f s)%s",
                count / seconds, (queued - start) / 1e9, errored > 0 ? " " + errored + " ERRORED" : "");
    }

    /**
     * Fills every service slot of {@code node} with a job sleeping long enough for the latency
     * measures, while it is the only node (so it holds them all); returns their ids.
     */
    private List<String> occupyServiceSlots(ClusterNode node, String domain, String token) throws Exception {
        install(node, domain, token);
        int slots = 2 * Runtime.getRuntime().availableProcessors();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            Api.Response r = node.api()
                    .call(
                            domain,
                            token,
                            "POST",
                            "/jobs/queue/service",
                            "{\"data\":{\"attributes\":{\"arguments\":"
                                    + "{\"slug\":\"bench\",\"name\":\"sleep\",\"fields\":{\"ms\":600000}},"
                                    + "\"options\":{\"timeout\":900}}}}");
            ids.add(r.json().path("data").path("id").asString());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!stillRunningOn(ids, node.id())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sleeping jobs did not all start on " + node.id());
            }
            Thread.sleep(50);
        }
        return ids;
    }

    private boolean stillRunningOn(List<String> ids, String nodeId) {
        return db.sql("SELECT COUNT(*) FROM job WHERE id IN (:ids) AND state = 'running' AND lease_owner = :node")
                        .param("ids", ids)
                        .param("node", nodeId)
                        .query(Integer.class)
                        .single()
                == ids.size();
    }

    /** Service jobs queued through {@code via} at Poisson times; ms from each 202 to its started_at. */
    private double[] latencies(ClusterNode via, String domain, String token) throws Exception {
        Map<String, Instant> answered = new LinkedHashMap<>();
        String body = "{\"data\":{\"attributes\":{\"arguments\":{\"slug\":\"bench\",\"name\":\"noop\"}}}}";
        for (int i = 0; i < SAMPLES; i++) {
            double wait = -Math.log(1 - ThreadLocalRandom.current().nextDouble()) / RATE;
            Thread.sleep((long) (wait * 1000));
            Api.Response r = via.api().call(domain, token, "POST", "/jobs/queue/service", body);
            Instant at = Instant.now();
            if (r.status() != 202) {
                throw new IllegalStateException(r.status() + " " + r.body());
            }
            answered.put(r.json().path("data").path("id").asString(), at);
        }
        List<String> ids = new ArrayList<>(answered.keySet());
        Map<String, Instant> started = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (started.size() < ids.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("samples not started after 60 s: " + (ids.size() - started.size()));
            }
            started.clear();
            db.sql("SELECT id, started_at FROM job WHERE id IN (:ids) AND started_at IS NOT NULL")
                    .param("ids", ids)
                    .query((rs, n) -> started.put(
                            rs.getString(1), rs.getObject(2, Timestamp.class).toInstant()))
                    .list();
            Thread.sleep(100);
        }
        double[] ms = new double[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            ms[i] = Duration.between(answered.get(ids.get(i)), started.get(ids.get(i)))
                            .toNanos()
                    / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void printLatencies(String label, double[] ms) {
        double mean = Arrays.stream(ms).average().orElse(0);
        System.out.printf(
                "%-46s | %8.1f | %8.1f | %8.1f | %8.1f%n",
                label,
                ms[ms.length / 2],
                ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.99) - 1)],
                ms[ms.length - 1],
                mean);
    }

    private int finished(String domain, String worker) {
        return db.sql("SELECT COUNT(*) FROM job WHERE domain = ? AND worker = ? AND state IN ('done', 'errored')")
                .params(domain, worker)
                .query(Integer.class)
                .single();
    }

    private String newInstance(ClusterNode via) {
        String domain = "bench" + instances.incrementAndGet() + ".test";
        Api.Response r = via.api().admin("POST", "/instances?Domain=" + domain, null);
        if (r.status() != 201) {
            throw new IllegalStateException("cannot create " + domain + ": " + r.status() + " " + r.body());
        }
        return domain;
    }

    private void install(ClusterNode via, String domain, String token) {
        if (db.sql("SELECT COUNT(*) FROM app WHERE domain = ?")
                        .param(domain)
                        .query(Integer.class)
                        .single()
                > 0) {
            return;
        }
        Api.Response r = via.api()
                .call(
                        domain,
                        token,
                        "POST",
                        "/apps/bench?Source=" + Api.enc(build.toUri().toString()),
                        null);
        if (r.status() != 202) {
            throw new IllegalStateException("cannot install the bench app: " + r.status() + " " + r.body());
        }
    }

    private void close() throws InterruptedException {
        clients.shutdownNow();
        for (ClusterNode node : nodes) {
            node.close();
        }
    }
}
