package org.jobstack.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jobstack.common.Ids;
import org.jobstack.config.AdminConnector;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Dashboard pages with many jobs stored: inserts {@code -Djobs} finished, errored, queued jobs
 * over several workers and instances, then times each page (median and worst of {@code -Druns}).
 *
 * <pre>bench/dashboard.sh [-Djobs=100000] [-Druns=20]</pre>
 */
public final class DashboardBench {

    private static final int JOBS = Integer.getInteger("jobs", 100_000);
    private static final int RUNS = Integer.getInteger("runs", 20);
    private static final String PASSPHRASE = "bench-passphrase";

    private DashboardBench() {}

    public static void main(String[] args) {
        try {
            run();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run() throws Exception {
        Path data = Files.createTempDirectory("bench-dashboard");
        ConfigurableApplicationContext context = InProcessServer.start(
                "--server.port=0",
                "--jobstack.admin.port=0",
                "--jobstack.data-dir=" + data,
                "--jobstack.admin.passphrase=" + PASSPHRASE,
                "--jobstack.jobs.workers.log.enabled=false",
                "--jobstack.jobs.workers.service.enabled=false",
                "--jobstack.jobs.workers.konnector.enabled=false",
                "--logging.level.root=WARN");
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        for (int i = 0; i < 10; i++) {
            jdbc.update(
                    "INSERT INTO instance (domain, locale, stack_url, token_secret, created_at, updated_at) "
                            + "VALUES (?, 'en', 'http://x/', 'c2VjcmV0', ?, ?)",
                    "bench" + i + ".test",
                    now(),
                    now());
        }
        insertJobs(jdbc);
        int port = context.getBean(AdminConnector.class).localPort();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        String cookie = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/dashboard/login"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("passphrase=" + PASSPHRASE))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .headers()
                .firstValue("Set-Cookie")
                .orElseThrow()
                .split(";")[0];
        String someJob = jdbc.queryForObject("SELECT id FROM job WHERE state = 'errored' LIMIT 1", String.class);
        System.out.printf("jobs=%d runs=%d%n%n| page | median ms | worst ms |%n|---|---|---|%n", JOBS, RUNS);
        for (String page : List.of(
                "/dashboard",
                "/dashboard/jobs",
                "/dashboard/jobs?state=errored",
                "/dashboard/jobs?worker=konnector&domain=bench3.test",
                "/dashboard/jobs?app=app7",
                "/dashboard/jobs?app=k3&state=errored",
                "/dashboard/jobs?app=nope",
                "/dashboard/jobs?since=1h",
                "/dashboard/jobs/" + someJob,
                "/dashboard/instances/bench1.test")) {
            time(http, base + page, page, cookie);
        }
        context.close();
    }

    private static void insertJobs(JdbcTemplate jdbc) {
        String[] workers = {"service", "konnector", "log"};
        String[] states = {"done", "done", "done", "errored", "queued"};
        Instant start = Instant.now().minusSeconds(JOBS);
        List<Object[]> batch = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            Timestamp at = Timestamp.from(start.plusSeconds(i));
            String state = states[i % states.length];
            batch.add(new Object[] {
                Ids.newId(),
                "bench" + (i % 10) + ".test",
                workers[i % workers.length],
                message(workers[i % workers.length], i),
                state,
                1,
                at,
                at,
                at,
                at,
                state.equals("errored") ? "exit status 1" : null
            });
            if (batch.size() == 5_000) {
                flush(jdbc, batch);
            }
        }
        flush(jdbc, batch);
    }

    /** Service jobs name one of 20 apps, konnector jobs one of 20 konnectors, as the server writes them. */
    private static String message(String worker, int i) {
        return worker.equals("konnector")
                ? "{\"konnector\":\"k" + i % 20 + "\",\"account\":\"a\"}"
                : "{\"slug\":\"app" + i % 20 + "\",\"name\":\"s\"}";
    }

    private static void flush(JdbcTemplate jdbc, List<Object[]> batch) {
        jdbc.batchUpdate(
                "INSERT INTO job (id, domain, worker, message, manual, debounced, state, attempts, queued_at, "
                        + "run_at, sort_at, finished_at, error) VALUES (?, ?, ?, ?, FALSE, FALSE, ?, ?, ?, ?, ?, ?, ?)",
                batch);
        batch.clear();
    }

    private static void time(HttpClient http, String url, String label, String cookie) throws Exception {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < RUNS + 5; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Cookie", cookie)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(label + " answered " + r.statusCode());
            }
            if (i >= 5) {
                micros.add((System.nanoTime() - t) / 1_000);
            }
        }
        micros.sort(null);
        System.out.printf(
                "| %s | %.1f | %.1f |%n",
                label, micros.get(micros.size() / 2) / 1000.0, micros.get(micros.size() - 1) / 1000.0);
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }
}
