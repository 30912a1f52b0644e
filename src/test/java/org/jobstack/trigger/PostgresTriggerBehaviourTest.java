package org.jobstack.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jobstack.common.Database;
import org.jobstack.support.Api;
import org.jobstack.support.OnPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class PostgresTriggerBehaviourTest extends AbstractTriggerBehaviourTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        OnPostgres.register(registry);
        registry.add("jobstack.triggers.event-lock-wait", () -> "1s");
    }

    /** PostgreSQL bounds the wait by {@code event-lock-wait} (1 s here); H2 by its own lock timeout. */
    @Test
    void should_answer_503_to_events_that_waited_too_long_for_their_instance_and_store_nothing() throws Exception {
        String trigger = id(create(eventTrigger("io.cozy.waiting:CREATED")));
        String event = "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.waiting\",\"doc\":{\"_id\":\"a\"}}";
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> transactions.executeWithoutResult(tx -> {
            // the lock an event batch takes: batches of one instance wait for each other
            jdbc.sql("SELECT domain FROM instance WHERE domain = ?" + Database.POSTGRESQL.rowLock())
                    .param(domain)
                    .query(String.class)
                    .single();
            locked.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        holder.start();
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            Api.Response refused = api.admin("POST", "/instances/" + domain + "/events", event);

            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
        } finally {
            release.countDown();
            holder.join();
        }
        assertThat(jobsOf(trigger)).isEmpty();
        post(event);
        assertThat(jobsOf(trigger)).hasSize(1);
    }
}
