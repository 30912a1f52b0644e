package org.jobstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {

    @ParameterizedTest(name = "{0} -> serve {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                          | true
            serve                       | true
            serve --server.port=9090    | true
            --server.port=9090          | true
            --jobstack.data-dir=/x      | true
            --help                      | false
            --version                   | false
            apps ls                     | false
            help                        | false
            """)
    void should_start_the_server_only_for_serve_or_server_options(String line, boolean serve) {
        String[] args = line.isBlank() ? new String[0] : line.strip().split(" +");

        assertThat(Main.isServe(args)).isEqualTo(serve);
    }
}
