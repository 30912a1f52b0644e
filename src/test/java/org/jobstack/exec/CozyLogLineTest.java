package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** Reference §8.5: stdout lines are cozy-logger JSON, anything else is kept raw. */
class CozyLogLineTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"type":"info","message":"hello"}                     | info     | hello   | false | true
            {"type":"ERROR","message":"bad","no_retry":true}      | error    | bad     | true  | true
            {"type":"critical","message":{"a":1}}                 | critical | {"a":1} | false | true
            {"message":"no type"}                                 | raw      | {"message":"no type"} | false | false
            {"type":"info"                                        | raw      | {"type":"info" | false | false
            plain text                                            | raw      | plain text | false | false
            """)
    void should_parse_cozy_logger_lines(String line, String level, String message, boolean noRetry, boolean parsed) {
        CozyLogLine l = CozyLogLine.parse(line, JSON, 4000);
        assertThat(l.level()).isEqualTo(level);
        assertThat(l.message()).isEqualTo(message);
        assertThat(l.noRetry()).isEqualTo(noRetry);
        assertThat(l.parsed()).isEqualTo(parsed);
    }

    @Test
    void should_cap_messages() {
        CozyLogLine l = CozyLogLine.parse("{\"type\":\"info\",\"message\":\"" + "m".repeat(5000) + "\"}", JSON, 4000);
        assertThat(l.message()).hasSize(4000 + " [… truncated]".length());
    }
}
