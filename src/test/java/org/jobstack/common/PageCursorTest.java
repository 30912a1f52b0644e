package org.jobstack.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class PageCursorTest {

    @Property
    void should_read_back_what_it_writes(
            @ForAll @LongRange(min = 0, max = 253_402_300_799L) long seconds,
            @ForAll @LongRange(min = 0, max = 999_999_999) long nanos,
            @ForAll("ids") String id) {
        PageCursor cursor = new PageCursor(Instant.ofEpochSecond(seconds, nanos), id);

        assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
    }

    @Property
    void should_refuse_anything_else_naming_the_parameter(@ForAll("hostile") String value) {
        try {
            PageCursor cursor = PageCursor.decode(value);
            assertThat(cursor.at()).isNotNull();
            assertThat(cursor.id()).isNotEmpty();
        } catch (Problem refused) {
            assertThat(refused.kind()).isEqualTo(Problem.Kind.MALFORMED);
            assertThat(refused.field()).isEqualTo("page[cursor]");
        }
    }

    @Test
    void should_refuse_a_cursor_without_an_id_or_a_time() {
        for (String text : new String[] {"2026-01-01T00:00:00Z|", "|abc", "yesterday|abc", "no bar at all"}) {
            String value = Base64.getUrlEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> PageCursor.decode(value)).isInstanceOf(Problem.class);
        }
    }

    /** Row ids: job and trigger ids, instance domains (ASCII, up to 253 characters). */
    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(253);
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings()
                        .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")
                        .ofMaxLength(120),
                Arbitraries.strings()
                        .ofMaxLength(60)
                        .map(s -> Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))));
    }
}
