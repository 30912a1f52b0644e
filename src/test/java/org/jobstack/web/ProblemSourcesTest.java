package org.jobstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;

class ProblemSourcesTest {

    @SuppressWarnings("unused")
    static class Handlers {
        void install(@RequestParam(name = "Source", required = false) String source, @RequestParam int limit) {}

        void create(@RequestBody String body) {}

        @RawJsonBody
        void events(@RequestBody String body) {}
    }

    @Test
    void should_point_at_the_query_parameter_of_that_name_in_any_case() throws Exception {
        HandlerMethod install = handler("install", String.class, int.class);

        assertThat(ProblemSources.of("source", install)).isEqualTo(ErrorSource.parameter("Source"));
        assertThat(ProblemSources.of("limit", install)).isEqualTo(ErrorSource.parameter("limit"));
        assertThat(ProblemSources.of("other", install))
                .as("no such parameter, no body")
                .isEqualTo(ErrorSource.parameter("other"));
    }

    @Test
    void should_point_into_the_attributes_of_a_json_api_body() throws Exception {
        HandlerMethod create = handler("create", String.class);

        assertThat(ProblemSources.of("options/timeout", create))
                .isEqualTo(ErrorSource.pointer("/data/attributes/options/timeout"));
        assertThat(ProblemSources.of("", create)).isEqualTo(ErrorSource.pointer("/data/attributes"));
    }

    @Test
    void should_point_into_a_raw_json_body_as_sent() throws Exception {
        HandlerMethod events = handler("events", String.class);

        assertThat(ProblemSources.of("1/verb", events)).isEqualTo(ErrorSource.pointer("/1/verb"));
        assertThat(ProblemSources.of("", events)).isEqualTo(ErrorSource.pointer("/"));
    }

    @Test
    void should_keep_pointers_and_no_place_as_they_are() throws Exception {
        assertThat(ProblemSources.of("/data", handler("create", String.class))).isEqualTo(ErrorSource.pointer("/data"));
        assertThat(ProblemSources.of(null, handler("create", String.class))).isNull();
        assertThat(ProblemSources.of("domain", null)).isEqualTo(ErrorSource.parameter("domain"));
    }

    private static HandlerMethod handler(String name, Class<?>... types) throws NoSuchMethodException {
        return new HandlerMethod(new Handlers(), Handlers.class.getDeclaredMethod(name, types));
    }
}
