package org.jobstack.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jobstack.permission.RuleParser;
import org.jobstack.trigger.TriggerLocks.EventRules;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The index by document id only ever leaves out triggers that cannot match: for any triggers and
 * any event, the candidates that match are exactly the triggers that match, in the same order.
 */
class EventWatchersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> DOCTYPES = List.of("io.cozy.x", "io.cozy.x.y", "io.cozy.files");
    private static final List<String> IDS = List.of("a", "b", "c");

    @Property(tries = 300)
    void should_find_exactly_the_triggers_that_match_in_load_order(
            @ForAll("triggers") List<String> rules,
            @ForAll("doctypes") String doctype,
            @ForAll("ids") String id,
            @ForAll("verbs") String verb) {
        List<EventRules> triggers = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            triggers.add(new EventRules("t" + i, rules.get(i)));
        }
        DocumentEvent event = new DocumentEvent(
                verb, doctype, (ObjectNode) JSON.readTree("{\"_id\":\"" + id + "\",\"k\":\"" + id + "\"}"), null);

        List<String> candidates = new EventWatchers(doctype, triggers)
                .candidates(event.docId()).stream()
                        .filter(w -> EventMatcher.matchesAny(w.rules(), event, EventMatcher.Directories.NONE))
                        .map(EventWatchers.Watcher::triggerId)
                        .toList();

        List<String> matching = triggers.stream()
                .filter(t -> EventMatcher.matchesAny(
                        RuleParser.parseList(t.arguments()), event, EventMatcher.Directories.NONE))
                .map(EventRules::triggerId)
                .toList();
        assertThat(candidates).isEqualTo(matching);
    }

    @Test
    void should_check_an_event_only_against_the_triggers_of_its_document_and_the_unindexed() {
        List<EventRules> triggers = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            triggers.add(new EventRules("id" + i, "io.cozy.x:CREATED:doc" + i));
        }
        triggers.add(new EventRules("whole", "io.cozy.x:CREATED"));
        triggers.add(new EventRules("selector", "io.cozy.x:UPDATED:v:k"));

        EventWatchers watchers = new EventWatchers("io.cozy.x", triggers);

        assertThat(watchers.candidates("doc42"))
                .extracting(EventWatchers.Watcher::triggerId)
                .containsExactly("id42", "whole", "selector");
        assertThat(watchers.candidates("unknown"))
                .extracting(EventWatchers.Watcher::triggerId)
                .containsExactly("whole", "selector");
    }

    @Test
    void should_not_index_directories_of_files_as_their_values_match_the_files_below() {
        EventWatchers watchers =
                new EventWatchers("io.cozy.files", List.of(new EventRules("dir", "io.cozy.files:CREATED:dir-id")));

        assertThat(watchers.candidates("a-file-below"))
                .extracting(EventWatchers.Watcher::triggerId)
                .containsExactly("dir");
    }

    @Provide
    Arbitrary<List<String>> triggers() {
        Arbitrary<String> rule = Combinators.combine(
                        Arbitraries.of("io.cozy.x", "io.cozy.x.y", "io.cozy.x.*", "io.cozy.files", "io.cozy.other"),
                        Arbitraries.of("", ":ALL", ":CREATED", ":CREATED,UPDATED", ":DELETED"),
                        Arbitraries.of("", "a", "b", "a,b", "c,a", "zz"),
                        Arbitraries.of("", "k", "!="))
                .as(EventWatchersTest::rule);
        return rule.list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(r -> String.join(" ", r))
                .list()
                .ofMaxSize(12);
    }

    private static String rule(String doctype, String verbs, String values, String selector) {
        if (values.isEmpty()) {
            return doctype + verbs;
        }
        String withVerbs = doctype + (verbs.isEmpty() ? ":ALL" : verbs) + ":" + values;
        if (selector.equals("!=")) {
            return doctype + (verbs.isEmpty() ? ":ALL" : verbs) + ":!=:k";
        }
        return selector.isEmpty() ? withVerbs : withVerbs + ":" + selector;
    }

    @Provide
    Arbitrary<String> doctypes() {
        return Arbitraries.of(DOCTYPES);
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.of(IDS);
    }

    @Provide
    Arbitrary<String> verbs() {
        return Arbitraries.of("CREATED", "UPDATED", "DELETED");
    }
}
