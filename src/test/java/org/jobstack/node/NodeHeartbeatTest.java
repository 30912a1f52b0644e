package org.jobstack.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jobstack.config.DataDirectory;
import org.jobstack.config.JobstackProperties;
import org.jobstack.support.MutableClock;
import org.jobstack.support.TestProperties;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/** A node that cannot reach the database stops its own attempts before its lease can expire, and rejoins after. */
class NodeHeartbeatTest {

    static final Duration LEASE = Duration.ofSeconds(20);

    /** The node table as the database would answer, or not at all while it is down. */
    static final class Database extends NodeStore {
        boolean down;
        final List<String> calls = new ArrayList<>();

        Database() {
            super(null);
        }

        @Override
        public void register(String id, String host, String version, Instant now) {
            answer("register");
        }

        @Override
        public boolean heartbeat(String id, Instant now) {
            answer("heartbeat");
            return true;
        }

        @Override
        public boolean isDraining(String id) {
            answer("isDraining");
            return false;
        }

        private void answer(String call) {
            calls.add(call);
            if (down) {
                throw new DataAccessResourceFailureException("database down");
            }
        }
    }

    final Database database = new Database();
    final MutableClock clock = new MutableClock();
    final List<Object> events = new ArrayList<>();
    final NodeHeartbeat heartbeat = heartbeat();

    @Test
    void should_tell_this_node_to_stop_its_attempts_once_no_heartbeat_went_through_for_a_lease_timeout() {
        heartbeat.start();
        try {
            database.down = true;
            clock.advance(LEASE.minusSeconds(2));
            heartbeat.beat();
            assertThat(events).as("still within its lease").isEmpty();

            clock.advance(Duration.ofSeconds(3));
            heartbeat.beat();

            assertThat(events).containsExactly(new NodeHeartbeat.Lost("node-t"));
        } finally {
            database.down = false;
            heartbeat.stop();
        }
    }

    @Test
    void should_rejoin_when_the_database_answers_again() {
        heartbeat.start();
        try {
            database.down = true;
            clock.advance(LEASE.plusSeconds(1));
            heartbeat.beat();
            database.down = false;
            database.calls.clear();
            events.clear();

            heartbeat.beat();
            clock.advance(LEASE.minusSeconds(1));
            database.down = true;
            heartbeat.beat();

            assertThat(database.calls).startsWith("heartbeat", "isDraining");
            assertThat(events)
                    .as("the lease counts again from the last heartbeat that went through")
                    .isEmpty();
        } finally {
            database.down = false;
            heartbeat.stop();
        }
    }

    @Test
    void should_count_the_database_as_not_reached_when_no_beat_got_through_for_two_intervals_and_a_pool_timeout() {
        heartbeat.start();
        try {
            heartbeat.beat();
            assertThat(heartbeat.databaseReached()).isTrue();

            clock.advance(Duration.ofHours(2).plusSeconds(7)); // a beat stuck on a connection: no answer, no error

            assertThat(heartbeat.databaseReached()).isFalse();
            heartbeat.beat();
            assertThat(heartbeat.databaseReached()).isTrue();
        } finally {
            heartbeat.stop();
        }
    }

    private NodeHeartbeat heartbeat() {
        JobstackProperties properties = TestProperties.of(Map.of(
                "jobstack.node.id", "node-t",
                "jobstack.node.heartbeat-interval", "1h",
                "jobstack.node.lease-timeout", LEASE.toSeconds() + "s"));
        NodeIdentity identity = new NodeIdentity(properties, (DataDirectory) null);
        return new NodeHeartbeat(
                database, identity, new LocalNode(database, identity, events::add), events::add, clock, properties);
    }
}
