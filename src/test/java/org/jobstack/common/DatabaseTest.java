package org.jobstack.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void should_pad_claim_keys_to_a_power_of_two_with_the_last_key() {
        List<Object> one = List.of("a");
        List<Object> two = List.of("a", "b");
        List<Object> eight = List.of(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(Database.paddedToAPowerOfTwo(one)).isSameAs(one);
        assertThat(Database.paddedToAPowerOfTwo(two)).isSameAs(two);
        assertThat(Database.paddedToAPowerOfTwo(List.of("a", "b", "c"))).containsExactly("a", "b", "c", "c");
        assertThat(Database.paddedToAPowerOfTwo(List.of(1, 2, 3, 4, 5))).containsExactly(1, 2, 3, 4, 5, 5, 5, 5);
        assertThat(Database.paddedToAPowerOfTwo(eight)).isSameAs(eight);
    }
}
