package org.jobstack.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void should_make_time_ordered_ids_of_the_usual_shape_that_sort_by_time() {
        Instant start = Instant.parse("2026-12-03T07:00:00Z");
        List<String> ids = new ArrayList<>();
        for (int ms = 0; ms < 1000; ms++) {
            ids.add(Ids.newTimeOrderedId(start.plusMillis(ms)));
        }

        assertThat(ids).allMatch(Ids::looksLikeId).isSorted();
        assertThat(ids.get(0)).startsWith(String.format("%012x", start.toEpochMilli()));
    }

    @Test
    void should_keep_eighty_random_bits_in_a_time_ordered_id() {
        Instant at = Instant.parse("2026-12-03T07:00:00Z");
        HashSet<String> random = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            random.add(Ids.newTimeOrderedId(at).substring(12));
        }

        assertThat(random).hasSize(10_000);
    }
}
