package org.jobstack.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RealtimeMessagesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> STATUSES =
            Set.of("400 Bad Request", "404 Page Not Found", "405 Method Not Allowed");

    private final RealtimeMessages messages = new RealtimeMessages(JSON);

    @Test
    void should_read_the_commands_of_cozy_realtime() throws Exception {
        assertThat(messages.read("{\"method\":\"AUTH\",\"payload\":\"tok\"}").token())
                .isEqualTo("tok");
        RealtimeMessages.Command sub =
                messages.read("{\"method\":\"subscribe\",\"payload\":{\"type\":\"io.cozy.jobs\"}}");
        assertThat(sub.method()).isEqualTo("SUBSCRIBE");
        assertThat(sub.type()).isEqualTo("io.cozy.jobs");
        assertThat(sub.id()).isNull();
        RealtimeMessages.Command one =
                messages.read("{\"method\":\"UNSUBSCRIBE\",\"payload\":{\"type\":\"io.cozy.jobs\",\"id\":\"j1\"}}");
        assertThat(one.id()).isEqualTo("j1");
    }

    @Test
    void should_write_events_as_cozy_stack_does() {
        RealtimeEvent event = new RealtimeEvent(
                "a.test",
                "UPDATED",
                "io.cozy.jobs",
                "j1",
                (tools.jackson.databind.node.ObjectNode) JSON.readTree("{\"_id\":\"j1\",\"state\":\"done\"}"),
                Map.of());
        JsonNode written = JSON.readTree(messages.event(event));
        assertThat(written.toString())
                .isEqualTo("{\"event\":\"UPDATED\",\"payload\":{\"type\":\"io.cozy.jobs\",\"id\":\"j1\","
                        + "\"doc\":{\"_id\":\"j1\",\"state\":\"done\"}}}");
    }

    @Property(tries = 500)
    void should_answer_any_text_with_a_command_or_the_protocols_error(@ForAll("hostile") String text) {
        try {
            RealtimeMessages.Command command = messages.read(text);
            assertThat(command.method()).isIn("AUTH", "SUBSCRIBE", "UNSUBSCRIBE");
            if (!command.method().equals("AUTH")) {
                assertThat(command.type()).isNotEmpty();
            }
        } catch (RealtimeMessages.BadCommand bad) {
            assertThat(bad.status).isIn(STATUSES);
            JsonNode error = JSON.readTree(messages.error(bad));
            assertThat(error.path("event").asString()).isEqualTo("error");
            assertThat(error.path("payload").path("status").asString()).isEqualTo(bad.status);
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> methods = Arbitraries.of("AUTH", "auth", "SUBSCRIBE", "Unsubscribe", "", "DROP", "\u0000");
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(s -> JSON.writeValueAsString(s)),
                Arbitraries.of("null", "1", "[]", "{}", "true", "{\"type\":1}", "{\"type\":\"\"}", "{\"id\":\"x\"}"),
                Arbitraries.strings()
                        .alpha()
                        .ofMinLength(1)
                        .ofMaxLength(10)
                        .map(t -> "{\"type\":\"" + t + "\",\"id\":" + (t.length() % 2 == 0 ? "null" : "\"i\"") + "}"));
        Arbitrary<String> commands = net.jqwik.api.Combinators.combine(methods, values)
                .as((m, v) -> "{\"method\":" + JSON.writeValueAsString(m) + ",\"payload\":" + v + "}");
        return Arbitraries.oneOf(
                commands, Arbitraries.strings().ofMaxLength(50), Arbitraries.of("", "[", "{", "\"x\"", "{\"method\":"));
    }
}
