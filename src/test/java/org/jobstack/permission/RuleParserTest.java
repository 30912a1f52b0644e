package org.jobstack.permission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reference §4.7 and §10 case 31: the rule grammar shared by @event and permissions. */
class RuleParserTest {

    @Test
    void should_parse_every_part_of_a_rule() {
        // §10 case 31
        Rule rule = RuleParser.parse("io.cozy.events:GET:mygreatcalendar,othercalendar:calendar-id");
        assertThat(rule.doctype()).isEqualTo("io.cozy.events");
        assertThat(rule.verbs()).containsExactly("GET");
        assertThat(rule.values()).containsExactly("mygreatcalendar", "othercalendar");
        assertThat(rule.selector()).isEqualTo("calendar-id");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "io.cozy.files",
                "io.cozy.files:CREATED",
                "io.cozy.files:DELETED:image/jpg:mime",
                "io.cozy.bank.operations:CREATED,UPDATED",
                "io.cozy.bank.operations:UPDATED:!=:category",
                "io.cozy.files:CREATED:0123456789abcdef",
                "io.cozy.bank.*",
                "io.cozy.files:ALL",
                "cc.cozycloud.dacc_dev"
            })
    void should_accept_the_reference_examples(String text) {
        assertThat(RuleParser.parse(text).toString()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "*",
                "type:verb:selec:value:wtf",
                "IO.cozy.files",
                "a:b:c:d:e",
                "io..cozy",
                ".io.cozy",
                "io.cozy.",
                "io.*",
                "io.cozy.files:created",
                "io.cozy.files:GET:a,,b",
                "io.cozy.files:GET::sel",
                "io cozy"
            })
    void should_refuse_malformed_rules(String text) {
        assertThatThrownBy(() -> RuleParser.parse(text))
                .isInstanceOf(InvalidRuleException.class)
                .hasMessageNotContaining("null");
    }

    @Test
    void should_split_rule_lists_on_any_run_of_spaces() {
        List<Rule> rules = RuleParser.parseList(" io.cozy.bank.operations:CREATED   io.cozy.bank.bills:CREATED ");
        assertThat(rules).extracting(Rule::doctype).containsExactly("io.cozy.bank.operations", "io.cozy.bank.bills");
    }

    @Test
    void should_read_all_and_empty_verbs_as_every_verb() {
        assertThat(RuleParser.parse("io.cozy.files:ALL").verbs()).isEmpty();
        assertThat(RuleParser.parse("io.cozy.files:").verbs()).isEmpty();
        assertThat(RuleParser.parse("io.cozy.files").allowsVerb("DELETED")).isTrue();
        assertThat(RuleParser.parse("io.cozy.files:GET,POST").verbs()).isEqualTo(Set.of("GET", "POST"));
    }

    @Test
    void should_match_wildcard_doctypes_by_prefix() {
        Rule rule = RuleParser.parse("io.cozy.bank.*");
        assertThat(rule.coversDoctype("io.cozy.bank.operations")).isTrue();
        assertThat(rule.coversDoctype("io.cozy.bank")).isFalse();
        assertThat(rule.coversDoctype("io.cozy.banks.x")).isFalse();
    }

    @Property
    void should_round_trip_what_it_prints(@ForAll("rules") String text) {
        Rule rule = RuleParser.parse(text);
        assertThat(RuleParser.parse(rule.toString())).isEqualTo(rule);
    }

    @Property
    void should_refuse_or_accept_hostile_input_without_other_errors(@ForAll("hostile") String text) {
        try {
            RuleParser.parseList(text);
        } catch (InvalidRuleException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> rules() {
        Arbitrary<String> doctype = Arbitraries.strings()
                .withCharRange('a', 'z')
                .ofMinLength(1)
                .ofMaxLength(6)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(parts -> String.join(".", parts));
        Arbitrary<String> verbs = Arbitraries.of("GET", "POST", "CREATED", "UPDATED,DELETED", "ALL");
        Arbitrary<String> values = Arbitraries.strings()
                .alpha()
                .numeric()
                .ofMinLength(1)
                .ofMaxLength(8)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(v -> String.join(",", v));
        return Combinators.combine(doctype, verbs, values, Arbitraries.of("", "worker", "state"))
                .as((d, v, vals, sel) -> d + ":" + v + ":" + vals + (sel.isEmpty() ? "" : ":" + sel));
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withChars("io.cozy:ALL,!= *\t\n").ofMaxLength(60));
    }
}
