package org.jobstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * ScaleBench starts and prints its figures in every mode, at tiny sizes, on the server of this
 * JVM (one context of its own: rate limits off, finished jobs kept a day, a purge walk every
 * second in batches of 1 000) instead of servers from the jar: its H2 database is reachable while it runs, so every
 * mode measures it in place ({@code store} fills it while it runs rather than between two
 * servers). Checks what is printed, never how fast. It takes a minute or more, so it is left out
 * of the default test run (tag {@code bench-smoke}): {@code bench/scale.sh smoke} runs it.
 */
@Tag("bench-smoke")
@TestPropertySource(
        properties = {
            "jobstack.jobs.rate-limits.webhook-trigger=0",
            "jobstack.jobs.rate-limits.job-service=0",
            "jobstack.jobs.retention.done=1d",
            "jobstack.jobs.retention.errored=1d",
            "jobstack.jobs.retention.interval=1s",
            "jobstack.jobs.retention.batch-size=1000"
        })
class ScaleBenchSmokeTest extends IntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void should_print_the_figures_of_every_mode_with_no_failed_call() throws Exception {
        Properties settings = new Properties();
        settings.load(new StringReader("""
                mode=enqueue,events,store,purge
                clients=4
                warmup=1
                round=1
                rounds=1
                database=h2
                databases=h2
                eventClients=2
                batch=20
                duration=1
                few=2
                many=50
                jobs=600
                triggers=100
                domains=3
                days=0.2
                warmupJobs=20
                queue=50
                runs=1
                alternations=1
                samples=3
                warmups=0
                cliRuns=1
                cli.commands=jobs ls log
                purgeInterval=1s
                purgeTimeout=30
                """));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        ScaleBench.run(
                new ScaleSettings(settings), new ThisJvm(), new PrintStream(printed, true, StandardCharsets.UTF_8));

        String out = printed.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertThat(out)
                .containsPattern("ratio enqueue/health \\d+\\.\\d\\d, webhook/health \\d+\\.\\d\\d")
                .containsPattern("\\| h2 \\| 20 × 2 \\| 2 on other doctypes \\| [0-9 .]+ \\| [0-9 .]+ \\|")
                .containsPattern("\\| 50 on other doctypes \\+ 50 on the same doctype \\| [0-9 .]+ \\| [0-9 .]+ \\|")
                .containsPattern(
                        "\\| \\(a\\) queue, log jobs/s, the server of \\(b\\) \\(median of 1 × 50\\) \\| [0-9 .]+ \\| [0-9 .]+ \\|")
                .containsPattern(
                        "\\| \\(a\\) queue, log jobs/s, servers on each in turn \\(1 rounds of 50; [^|]+\\| [0-9 .]+ \\| [0-9 .]+ \\| \\d\\.\\d\\d \\|")
                .containsPattern("\\| \\(b\\) /dashboard/jobs\\?app=app7, p50 / p95 ms \\| [0-9.]+ / [0-9.]+ \\|")
                .containsPattern("\\| \\(b\\) jobstack jobs ls log, p50 / p95 ms \\| [0-9.]+ / [0-9.]+ \\|")
                .containsPattern("\\| \\(c\\) heap after a full GC, MB \\| \\d+ \\| \\d+ \\|")
                .containsPattern("\\| h2 \\| 600 \\([0-9 ]+, [0-9 ]+\\) \\| 1d, 1s \\| \\d+ s \\(")
                .contains("enqueue: failures 0", "events: failures 0", "store, h2: failures 0", "purge: failures 0")
                .doesNotContain("!!!", "NOT FINISHED");
    }

    /** The server of this JVM, on its H2 database, for every mode; the CLI from the test classpath. */
    private final class ThisJvm implements ScaleServers {

        @Override
        public Database database(String kind) {
            return new Database(kind, dataSource, true, null, List.of());
        }

        @Override
        public Server start(Database database, List<String> settings) {
            return new Server() {
                @Override
                public Api api() {
                    return api;
                }

                @Override
                public long pid() {
                    return ProcessHandle.current().pid();
                }

                @Override
                public void close() {
                    // the test's context outlives the modes
                }
            };
        }

        @Override
        public List<String> cli() {
            return List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "org.jobstack.Main");
        }

        @Override
        public String passphrase() {
            return PASSPHRASE;
        }
    }
}
