package org.jobstack.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jobstack.support.LoadTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The soak harness for 60 s in the normal suite ({@code bench/soak.sh} runs it for as long as
 * asked): every kind of call keeps being answered as expected, every job ends done, and the
 * server's heap (after a GC), threads and open files do not grow from the first period to the last.
 */
class SoakTest extends LoadTest {

    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();

    @Autowired
    JdbcClient jdbc;

    private SoakLoad load;

    @Test
    void should_keep_heap_threads_and_open_files_flat_under_a_mixed_load_for_60_seconds() throws Exception {
        load = new SoakLoad(api, PROBE, PASSPHRASE);
        load.setUp();

        List<SoakRun.Sample> samples = new SoakRun(load, api, System::gc)
                .run(4, 40, Duration.ofSeconds(60), Duration.ofSeconds(10), System.out);

        assertThat(load.ok().keySet()).as("every kind of call ran").containsExactlyInAnyOrder(SoakLoad.Kind.values());
        assertThat(load.unexpected())
                .as("last unexpected statuses: %s", load.lastUnexpected())
                .isEmpty();
        SoakRun.Sample first = samples.get(0);
        List<SoakRun.Sample> lastTwo = samples.subList(samples.size() - 2, samples.size());
        assertThat(lastTwo).allSatisfy(s -> {
            assertThat(s.threads()).as("threads").isLessThanOrEqualTo(first.threads() + 16);
            assertThat(s.openFiles()).as("open files").isLessThanOrEqualTo(first.openFiles() + 32);
            assertThat(s.heapMb()).as("heap MB after a GC").isLessThanOrEqualTo(first.heapMb() + 64);
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> count("state IN ('queued', 'running')") == 0);
        assertThat(jdbc.sql("SELECT worker || ': ' || error FROM job WHERE domain = ? AND state = 'errored'")
                        .param(load.domain())
                        .query(String.class)
                        .list())
                .as("errored jobs")
                .isEmpty();
        assertThat(count("state = 'done'")).isGreaterThan(500);
    }

    private int count(String condition) {
        return jdbc.sql("SELECT COUNT(*) FROM job WHERE domain = ? AND " + condition)
                .param(load.domain())
                .query(Integer.class)
                .single();
    }
}
