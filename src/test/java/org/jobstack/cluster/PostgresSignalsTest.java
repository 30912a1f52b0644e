package org.jobstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.jobstack.support.Databases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class PostgresSignalsTest {

    final List<Object> receivedByA = new CopyOnWriteArrayList<>();
    final List<Object> receivedByB = new CopyOnWriteArrayList<>();
    PostgresSignals a;
    PostgresSignals b;

    @BeforeEach
    void twoNodes() {
        DataSource database = new DriverManagerDataSource(Databases.newPostgresDatabase(), "postgres", "postgres");
        a = new PostgresSignals(database, receivedByA::add);
        b = new PostgresSignals(database, receivedByB::add);
        a.start();
        b.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> receivedByA.contains(Signal.of(Signal.Topic.RESYNC, ""))
                        && receivedByB.contains(Signal.of(Signal.Topic.RESYNC, "")));
        receivedByA.clear();
        receivedByB.clear();
    }

    @AfterEach
    void stop() {
        a.stop();
        b.stop();
    }

    @Test
    void should_wake_the_other_nodes_and_not_itself() {
        a.broadcast(Signal.Topic.JOB_QUEUED, "service");
        a.broadcast(Signal.Topic.CANCEL, "job1 asked by alice");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> receivedByB.containsAll(List.of(
                        Signal.of(Signal.Topic.JOB_QUEUED, "service"),
                        Signal.of(Signal.Topic.CANCEL, "job1 asked by alice"))));
        assertThat(receivedByA).isEmpty();
    }

    @Test
    void should_send_a_signal_asked_for_many_times_meanwhile_fewer_times() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            a.broadcast(Signal.Topic.JOB_QUEUED, "log");
        }
        a.broadcast(Signal.Topic.SCHEDULE, "");

        await().atMost(Duration.ofSeconds(5)).until(() -> receivedByB.contains(Signal.of(Signal.Topic.SCHEDULE, "")));
        Thread.sleep(200);
        assertThat(receivedByB.stream().filter(s -> s.equals(Signal.of(Signal.Topic.JOB_QUEUED, "log"))))
                .isNotEmpty()
                .hasSizeLessThan(100);
    }

    @Test
    void should_split_what_does_not_fit_one_notification_and_lose_nothing() {
        for (int i = 0; i < 300; i++) {
            a.broadcast(Signal.Topic.APPS, "instance-" + i + "-" + "x".repeat(40) + ".test");
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> receivedByB.size() == 300);
        assertThat(a.payloads(List.of(Signal.of(Signal.Topic.APPS, "y".repeat(20_000)))))
                .allSatisfy(payload -> assertThat(payload.length()).isLessThan(PostgresSignals.MAX_PAYLOAD));
    }

    @Test
    void should_split_by_utf8_bytes_and_keep_the_order_signals_were_asked_for() {
        List<Signal> signals = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            signals.add(Signal.of(Signal.Topic.REALTIME, i + "é".repeat(1_000)));
        }

        List<String> payloads = a.payloads(signals);

        assertThat(payloads)
                .hasSizeGreaterThan(2)
                .allSatisfy(payload -> assertThat(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                        .isLessThan(PostgresSignals.MAX_PAYLOAD));
        List<String> lines = payloads.stream()
                .flatMap(p -> java.util.Arrays.stream(p.split("\n")).skip(1))
                .toList();
        assertThat(lines)
                .containsExactlyElementsOf(signals.stream().map(Signal::encode).toList());
    }

    @Test
    void should_ignore_lines_it_does_not_know() {
        b.receive("another-sender\nZsomething a newer node says\nqservice\n");

        assertThat(receivedByB).containsExactly(Signal.of(Signal.Topic.JOB_QUEUED, "service"));
    }
}
