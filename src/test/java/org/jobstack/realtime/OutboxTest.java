package org.jobstack.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class OutboxTest {

    /** Records sends; completes them when told (or at once, inline, when {@code inline}). */
    static final class FakeTransport implements Outbox.Transport {
        final List<String> sent = new ArrayList<>();
        final List<Consumer<Throwable>> pending = new ArrayList<>();
        final List<String> aborts = new ArrayList<>();
        boolean inline;
        int pings;

        @Override
        public void send(String message, Consumer<Throwable> done) {
            sent.add(message);
            if (inline) {
                done.accept(null);
            } else {
                pending.add(done);
            }
        }

        @Override
        public void ping() {
            pings++;
        }

        @Override
        public void abort(String reason) {
            aborts.add(reason);
        }

        void completeOne(Throwable result) {
            pending.remove(0).accept(result);
        }
    }

    @Test
    void should_send_one_message_at_a_time_in_the_order_offered() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = new Outbox(transport, 1_000);

        outbox.offer("a");
        outbox.offer("b");
        outbox.offer("c");
        assertThat(transport.sent).containsExactly("a");

        transport.completeOne(null);
        assertThat(transport.sent).containsExactly("a", "b");
        transport.completeOne(null);
        transport.completeOne(null);
        assertThat(transport.sent).containsExactly("a", "b", "c");
        assertThat(transport.pending).isEmpty();
    }

    @Test
    void should_abort_a_client_that_lets_too_much_wait_and_take_nothing_more() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = new Outbox(transport, 10);

        assertThat(outbox.offer("first")).isTrue();
        assertThat(outbox.offer("12345")).isTrue();
        assertThat(outbox.offer("67890")).isTrue();
        assertThat(outbox.offer("x")).isFalse();

        assertThat(transport.aborts).singleElement().asString().contains("too slowly");
        assertThat(outbox.isClosed()).isTrue();
        assertThat(outbox.offer("later")).isFalse();
        transport.completeOne(null);
        assertThat(transport.sent).containsExactly("first");
        assertThat(transport.aborts).hasSize(1);
    }

    @Test
    void should_loop_rather_than_recurse_when_sends_complete_at_once() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = new Outbox(transport, 10_000_000);
        outbox.offer("hold");
        for (int i = 0; i < 100_000; i++) {
            outbox.offer("m" + i);
        }
        transport.inline = true;

        transport.completeOne(null);

        assertThat(transport.sent).hasSize(100_001).endsWith("m99999");
    }

    @Test
    void should_close_after_a_last_message_is_sent() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = new Outbox(transport, 1_000);
        outbox.offer("a");
        outbox.offerLast("error", "AUTH expected");
        assertThat(outbox.offer("more")).isFalse();
        assertThat(transport.aborts).isEmpty();

        transport.completeOne(null);
        assertThat(transport.aborts).isEmpty();
        transport.completeOne(null);

        assertThat(transport.sent).containsExactly("a", "error");
        assertThat(transport.aborts).containsExactly("AUTH expected");
    }

    @Test
    void should_close_when_a_send_fails() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = new Outbox(transport, 1_000);
        outbox.offer("a");
        outbox.offer("b");

        transport.completeOne(new java.io.IOException("broken pipe"));

        assertThat(transport.sent).containsExactly("a");
        assertThat(transport.aborts).singleElement().asString().contains("broken pipe");
        assertThat(outbox.offer("c")).isFalse();
    }

    @Test
    void should_ping_only_an_idle_connection() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = new Outbox(transport, 1_000);
        outbox.offer("a");
        outbox.pingIfIdle();
        assertThat(transport.pings).isZero();

        transport.completeOne(null);
        outbox.pingIfIdle();
        assertThat(transport.pings).isEqualTo(1);
        outbox.offer("b");
        assertThat(transport.sent).containsExactly("a", "b");
    }
}
