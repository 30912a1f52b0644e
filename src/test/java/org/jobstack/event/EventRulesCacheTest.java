package org.jobstack.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jobstack.support.MutableClock;
import org.jobstack.trigger.TriggerLocks.EventRules;
import org.junit.jupiter.api.Test;

class EventRulesCacheTest {

    private final AtomicInteger loads = new AtomicInteger();
    private final MutableClock clock = new MutableClock();

    {
        clock.freeze();
    }

    private Supplier<EventWatchers> watchers(int count) {
        return () -> {
            loads.incrementAndGet();
            List<EventRules> rules = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                rules.add(new EventRules("t" + i, "io.cozy.notes"));
            }
            return new EventWatchers("io.cozy.notes", rules);
        };
    }

    @Test
    void should_read_the_rules_again_only_when_the_instance_tag_changed() {
        EventRulesCache cache = new EventRulesCache(clock, 100);

        EventWatchers first = cache.get("a.test", "io.cozy.notes", 7, watchers(2));
        EventWatchers again = cache.get("a.test", "io.cozy.notes", 7, watchers(2));
        EventWatchers retagged = cache.get("a.test", "io.cozy.notes", 8, watchers(3));

        assertThat(again).isSameAs(first);
        assertThat(retagged).isNotSameAs(first);
        assertThat(retagged.size()).isEqualTo(3);
        assertThat(loads).hasValue(2);
        assertThat(cache.heldWatchers()).isEqualTo(3);
    }

    @Test
    void should_keep_instances_and_doctypes_apart() {
        EventRulesCache cache = new EventRulesCache(clock, 100);

        cache.get("a.test", "io.cozy.notes", 1, watchers(1));
        cache.get("b.test", "io.cozy.notes", 1, watchers(1));
        cache.get("a.test", "io.cozy.files", 1, watchers(1));

        assertThat(loads).hasValue(3);
    }

    @Test
    void should_drop_the_least_recently_used_beyond_its_bound_and_never_hold_a_larger_set() {
        EventRulesCache cache = new EventRulesCache(clock, 10);

        cache.get("a.test", "io.cozy.notes", 1, watchers(4));
        cache.get("b.test", "io.cozy.notes", 1, watchers(4));
        cache.get("a.test", "io.cozy.notes", 1, watchers(4)); // a is now the most recent
        cache.get("c.test", "io.cozy.notes", 1, watchers(4)); // b goes
        assertThat(loads).hasValue(3);
        assertThat(cache.heldWatchers()).isEqualTo(8);

        cache.get("a.test", "io.cozy.notes", 1, watchers(4));
        assertThat(loads).as("a kept").hasValue(3);
        cache.get("b.test", "io.cozy.notes", 1, watchers(4));
        assertThat(loads).as("b read again").hasValue(4);

        cache.get("big.test", "io.cozy.notes", 1, watchers(11));
        cache.get("big.test", "io.cozy.notes", 1, watchers(11));
        assertThat(loads).as("a set larger than the bound is read each time").hasValue(6);
        assertThat(cache.heldWatchers()).isLessThanOrEqualTo(10);
    }

    @Test
    void should_read_the_rules_again_after_a_minute_even_under_the_same_tag() {
        EventRulesCache cache = new EventRulesCache(clock, 100);

        cache.get("a.test", "io.cozy.notes", 7, watchers(1));
        clock.advance(Duration.ofSeconds(59));
        cache.get("a.test", "io.cozy.notes", 7, watchers(1));
        assertThat(loads).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        cache.get("a.test", "io.cozy.notes", 7, watchers(1));
        assertThat(loads)
                .as("written without the application, say: seen within a minute")
                .hasValue(2);
    }
}
