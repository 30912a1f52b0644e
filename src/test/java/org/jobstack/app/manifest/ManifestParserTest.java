package org.jobstack.app.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
import tools.jackson.databind.json.JsonMapper;

class ManifestParserTest {

    private final ManifestParser parser =
            new ManifestParser(JsonMapper.builder().build());

    private Manifest parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), AppKind.WEBAPP, "my-app");
    }

    @Test
    void should_read_services_permissions_and_keep_unknown_fields() {
        Manifest m = parse("""
                {"version":"1.2.0","name":"Mine","x-custom":{"a":1},
                 "permissions":{"ops":{"type":"io.cozy.bank.operations","verbs":["GET","put"]}},
                 "services":{"onOp":{"type":"node","file":"/services/onOp.js",
                                     "trigger":"@event  io.cozy.bank.operations:CREATED","debounce":"10m"},
                             "callable":{"file":"services/call.js"},
                             "legacy":{"file":"services/l.js","trigger":"@at 2000-01-01T00:00:00.000Z"}}}""");

        assertThat(m.version()).isEqualTo("1.2.0");
        assertThat(m.json().path("x-custom").path("a").asInt()).isEqualTo(1);
        assertThat(m.permissions().get("ops").verbs()).containsExactlyInAnyOrder("GET", "PUT");
        ServiceDeclaration onOp = m.services().get("onOp");
        assertThat(onOp.file()).isEqualTo("services/onOp.js");
        assertThat(onOp.triggerType()).isEqualTo("@event");
        assertThat(onOp.triggerArguments()).isEqualTo("io.cozy.bank.operations:CREATED");
        assertThat(onOp.debounce()).isEqualTo("10m");
        assertThat(m.services().get("callable").hasTrigger()).isFalse();
        assertThat(m.services().get("callable").type()).isEqualTo("node");
        assertThat(m.services().get("legacy").hasTrigger())
                .as("the stack's 'no trigger' marker")
                .isFalse();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not json                                                                 | is not valid JSON
            []                                                                       | must be a JSON object
            {"name":"x"}                                                             | version is required
            {"version":"1 0"}                                                        | version is required
            {"version":"1","type":"konnector"}                                       | type is "konnector"
            {"version":"1","permissions":[]}                                         | permissions must be an object
            {"version":"1","permissions":{"p":{"verbs":["GET"]}}}                    | permissions.p.type is required
            {"version":"1","permissions":{"p":{"type":"IO.X"}}}                      | permissions.p.type
            {"version":"1","permissions":{"p":{"type":"io.x","verbs":["FETCH"]}}}    | permissions.p.verbs
            {"version":"1","services":{"s":{"trigger":"@event io.x"}}}               | services.s.file is required
            {"version":"1","services":{"s":{"file":"../../etc/passwd"}}}             | services.s.file must name a file inside the app
            {"version":"1","services":{"s":{"file":"a/../../b.js"}}}                 | services.s.file must name a file inside the app
            {"version":"1","services":{"s":{"file":"/"}}}                            | services.s.file
            {"version":"1","services":{"s":{"file":"a.js","trigger":"@nope x"}}}     | services.s.trigger Unknown trigger type
            {"version":"1","services":{"s":{"file":"a.js","trigger":"@event IO"}}}   | services.s.trigger Invalid @event arguments
            {"version":"1","services":{"s":{"file":"a.js","trigger":"@client"}}}     | services.s.trigger @client
            {"version":"1","services":{"s":{"file":"a.js","debounce":"1d"}}}         | services.s.debounce
            {"version":"1","services":{"s":{"file":7}}}                              | services.s.file must be a string
            {"version":"1","services":{"a b":{"file":"a.js"}}}                       | services.a b
            """)
    void should_refuse_bad_manifests_naming_the_field(String json, String expected) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(Problem.class, p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.MALFORMED);
            assertThat(p.getMessage()).startsWith("manifest.webapp").contains(expected);
            assertThat(p.field()).isEqualTo("source");
        });
    }

    @Test
    void should_refuse_oversized_manifests() {
        byte[] big = new byte[ManifestParser.MAX_BYTES + 1];
        assertThatThrownBy(() -> parser.parse(big, AppKind.WEBAPP, "x"))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.kind()).isEqualTo(Problem.Kind.TOO_LARGE));
    }

    @Property(tries = 300)
    void should_answer_any_json_with_a_manifest_or_a_problem(@ForAll("hostileManifests") String json) {
        try {
            Manifest m = parse(json);
            m.services()
                    .values()
                    .forEach(s -> assertThat(s.file()).doesNotStartWith("..").doesNotStartWith("/"));
        } catch (Problem expected) {
            assertThat(expected.getMessage()).startsWith("manifest.webapp");
        }
    }

    @Provide
    Arbitrary<String> hostileManifests() {
        Arbitrary<String> file = Arbitraries.oneOf(
                Arbitraries.of(
                        "../x.js", "/../../x", "a/./b.js", "\\x.js", "a\u0000b", "", "/", "ok.js", "..", "a/../../b"),
                Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> trigger = Arbitraries.oneOf(
                Arbitraries.of(
                        "@event io.cozy.x", "@event", "@webhook", "@event io.cozy.x:CREATED  io.y", "@cron * * *", ""),
                Arbitraries.strings().ofMaxLength(30));
        Arbitrary<String> services = Combinators.combine(
                        file, trigger, Arbitraries.strings().ofMaxLength(8))
                .as((f, t, d) -> "{\"s\":{\"file\":" + quote(f) + ",\"trigger\":" + quote(t) + ",\"debounce\":"
                        + quote(d) + "}}");
        return Arbitraries.oneOf(
                services.map(s -> "{\"version\":\"1.0.0\",\"services\":" + s + "}"),
                Arbitraries.strings().ofMaxLength(100),
                Arbitraries.of(
                        "{\"version\":1}",
                        "{\"version\":\"1\",\"services\":null}",
                        "null",
                        "{}",
                        "{\"version\":\"1\",\"permissions\":{\"x\":null}}"));
    }

    private static String quote(String s) {
        return JsonMapper.builder().build().writeValueAsString(s);
    }
}
