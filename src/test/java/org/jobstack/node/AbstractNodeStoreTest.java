package org.jobstack.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jobstack.config.DataDirectory;
import org.jobstack.config.JobstackProperties;
import org.jobstack.support.TestProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Node rows, drains and the cluster-wide throughput, run once per database (H2 and PostgreSQL). */
abstract class AbstractNodeStoreTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:05Z");

    NodeStore nodes;
    ThroughputStore throughput;

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        JdbcClient jdbc = JdbcClient.create(dataSource());
        nodes = new NodeStore(jdbc);
        throughput = new ThroughputStore(jdbc);
    }

    @Test
    void should_list_the_nodes_with_their_version_heartbeat_and_drain() {
        nodes.register("node-b", "host-b", "1.2.0", T0);
        nodes.register("node-a", "host-a", "1.3.0", T0.minusSeconds(5));
        nodes.heartbeat("node-a", T0.plusSeconds(3));
        assertThat(nodes.setDraining("node-b", true)).isTrue();

        assertThat(nodes.list())
                .containsExactly(
                        new NodeStore.NodeRow(
                                "node-a", "host-a", "1.3.0", T0.minusSeconds(5), T0.plusSeconds(3), false),
                        new NodeStore.NodeRow("node-b", "host-b", "1.2.0", T0, T0, true));
        assertThat(nodes.isDraining("node-b")).isTrue();
        assertThat(nodes.isDraining("node-a")).isFalse();
        assertThat(nodes.isDraining("nobody")).isFalse();
        assertThat(nodes.setDraining("nobody", true)).isFalse();
    }

    @Test
    void should_start_a_restarted_node_active_with_its_new_version() {
        nodes.register("node-a", "host-a", "1.2.0", T0);
        nodes.setDraining("node-a", true);

        nodes.register("node-a", "host-a", "1.3.0", T0.plusSeconds(60));

        assertThat(nodes.list())
                .containsExactly(new NodeStore.NodeRow(
                        "node-a", "host-a", "1.3.0", T0.plusSeconds(60), T0.plusSeconds(60), false));
    }

    @Test
    void should_sum_the_finished_attempts_of_every_node_per_minute() {
        SimpleMeterRegistry metersA = new SimpleMeterRegistry();
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Throughput a = throughputOf("node-a", metersA, clock);
        Throughput b = throughputOf("node-b", metersB, clock);
        a.sample();
        b.sample();
        metersA.counter("jobstack.jobs.attempts", "worker", "log", "outcome", "done")
                .increment(3);
        metersA.counter("jobstack.jobs.attempts", "worker", "service", "outcome", "retry")
                .increment(7);
        metersB.counter("jobstack.jobs.attempts", "worker", "service", "outcome", "done")
                .increment(2);
        metersB.counter("jobstack.jobs.attempts", "worker", "service", "outcome", "errored")
                .increment();
        a.sample();
        b.sample();
        metersA.counter("jobstack.jobs.attempts", "worker", "log", "outcome", "done")
                .increment();
        a.sample();

        List<double[]> series = b.series();

        int last = Throughput.MINUTES - 1;
        assertThat(series.get(0)).hasSize(Throughput.MINUTES);
        assertThat(series.get(0)[last]).isEqualTo(T0.getEpochSecond() / 60 * 60.0);
        assertThat(series.get(1)[last])
                .as("done, both nodes, retries not counted")
                .isEqualTo(6.0);
        assertThat(series.get(2)[last]).isEqualTo(1.0);
        assertThat(series.get(1)[0]).isZero();
    }

    @Test
    void should_forget_minutes_older_than_an_hour() {
        long minute = T0.getEpochSecond() / 60;
        throughput.add("node-a", minute - 61, 5, 0);
        throughput.add("node-a", minute, 1, 0);

        throughput.prune(minute - Throughput.MINUTES);

        assertThat(throughput.sums(0)).containsOnlyKeys(minute);
    }

    private Throughput throughputOf(String nodeId, SimpleMeterRegistry meters, Clock clock) {
        JobstackProperties properties = TestProperties.of(Map.of("jobstack.node.id", nodeId));
        return new Throughput(throughput, meters, new NodeIdentity(properties, (DataDirectory) null), clock);
    }
}
