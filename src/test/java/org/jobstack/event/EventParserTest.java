package org.jobstack.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jobstack.common.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

class EventParserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void should_read_one_event_or_a_batch() {
        String one =
                "{\"verb\":\"UPDATED\",\"doctype\":\"io.cozy.x\",\"doc\":{\"_id\":\"1\",\"a\":2},\"old\":{\"_id\":\"1\"}}";

        List<DocumentEvent> single = EventParser.parse(JSON.readTree(one), 10);
        List<DocumentEvent> batch = EventParser.parse(JSON.readTree("[" + one + "," + one + "]"), 10);

        assertThat(single).hasSize(1);
        assertThat(single.get(0).docId()).isEqualTo("1");
        assertThat(single.get(0).old()).isNotNull();
        assertThat(batch).hasSize(2);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            "x"                                                          | ``
            [1]                                                          | 0
            {"doctype":"io.x","doc":{"_id":"1"}}                         | verb
            {"verb":"GET","doctype":"io.x","doc":{"_id":"1"}}            | verb
            {"verb":"CREATED","doc":{"_id":"1"}}                         | doctype
            {"verb":"CREATED","doctype":"IO.X","doc":{"_id":"1"}}        | doctype
            {"verb":"CREATED","doctype":"io.x.*","doc":{"_id":"1"}}      | doctype
            {"verb":"CREATED","doctype":"io.x"}                          | doc
            {"verb":"CREATED","doctype":"io.x","doc":[]}                 | doc
            {"verb":"CREATED","doctype":"io.x","doc":{}}                 | doc/_id
            {"verb":"CREATED","doctype":"io.x","doc":{"_id":3}}          | doc/_id
            {"verb":"CREATED","doctype":"io.x","doc":{"_id":"1"},"old":5}| old
            [{"verb":"CREATED","doctype":"io.x","doc":{"_id":"1"}},{}]   | 1/verb
            """)
    void should_name_the_field_at_fault(String body, String pointer) {
        assertThatThrownBy(() -> EventParser.parse(JSON.readTree(body), 10))
                .isInstanceOfSatisfying(
                        Problem.class, p -> assertThat(p.field()).isEqualTo(pointer));
    }

    @Test
    void should_refuse_batches_above_the_limit() {
        String one = "{\"verb\":\"CREATED\",\"doctype\":\"io.x\",\"doc\":{\"_id\":\"1\"}}";
        assertThatThrownBy(() -> EventParser.parse(JSON.readTree("[" + one + "," + one + "]"), 1))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.kind()).isEqualTo(Problem.Kind.TOO_LARGE));
    }

    @Property(tries = 500)
    void should_answer_any_json_with_events_or_a_problem(@ForAll("bodies") String body) {
        try {
            EventParser.parse(JSON.readTree(body), 100)
                    .forEach(e -> assertThat(e.docId()).isNotEmpty());
        } catch (Problem expected) {
            assertThat(expected.field()).isNotNull().doesNotStartWith("/");
        } catch (JacksonException notJson) {
            // rejected by the JSON reader before the parser, as the HTTP layer does
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> value = Arbitraries.of(
                "\"CREATED\"",
                "\"io.cozy.x\"",
                "{\"_id\":\"a\"}",
                "{}",
                "[]",
                "1",
                "null",
                "\"\"",
                "{\"_id\":null}",
                "true");
        Arbitrary<String> event = Combinators.combine(value, value, value, value)
                .as((v, t, d, o) -> "{\"verb\":" + v + ",\"doctype\":" + t + ",\"doc\":" + d + ",\"old\":" + o + "}");
        return Arbitraries.oneOf(
                event,
                event.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
                Arbitraries.strings().ofMaxLength(50));
    }
}
