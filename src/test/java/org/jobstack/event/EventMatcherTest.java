package org.jobstack.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.jobstack.permission.RuleParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Reference §5.4 table and §10 cases 26–28, as data: event, rule, expected match. */
class EventMatcherTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest(name = "[{index}] {0} {1} old={3} ~ {4} -> {5}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # verb   | doctype                  | doc                                         | old                               | rule                                      | match
            CREATED  | io.cozy.testeventobject  | {"_id":"test-id","test":"value"}            |                                   | io.cozy.testeventobject                   | true
            CREATED  | io.cozy.testeventobject  | {"_id":"test-id","test":"value"}            |                                   | io.cozy.testeventobject:CREATED           | true
            CREATED  | io.cozy.testeventobject  | {"_id":"test-id","test":"value"}            |                                   | io.cozy.testeventobject:CREATED:value:test | true
            CREATED  | io.cozy.testeventobject  | {"_id":"test-id","test":"value"}            |                                   | io.cozy.testeventobject:DELETED           | false
            CREATED  | io.cozy.testeventobject  | {"_id":"test-id","test":"value"}            |                                   | io.cozy.testeventobject:CREATED:notvalue:test | false
            CREATED  | io.cozy.testeventobject  | {"_id":"test-id","test":"value"}            |                                   | io.cozy.testeventobject:UPDATED:!=:test   | false
            UPDATED  | io.cozy.testeventobject  | {"_id":"test-id","test":"value"}            | {"_id":"test-id","test":"value"}  | io.cozy.testeventobject:UPDATED:!=:test   | false
            UPDATED  | io.cozy.testeventobject  | {"_id":"test-id","test":"value"}            | {"_id":"test-id","test":"value"}  | io.cozy.testeventobject                   | true
            UPDATED  | io.cozy.testeventobject  | {"_id":"test-id","test":"changed"}          | {"_id":"test-id","test":"value"}  | io.cozy.testeventobject:UPDATED:!=:test   | true
            UPDATED  | io.cozy.x                | {"_id":"1","test":"v"}                      |                                   | io.cozy.x:UPDATED:!=:test                 | false
            UPDATED  | io.cozy.x                | {"_id":"1"}                                 | {"_id":"1"}                       | io.cozy.x:UPDATED:!=:test                 | false
            CREATED  | io.cozy.x                | {"_id":"1","test":"v"}                      |                                   | io.cozy.x:CREATED,UPDATED:!=:test         | true
            DELETED  | io.cozy.x                | {"_id":"1","test":"v"}                      | {"_id":"1","test":"v"}            | io.cozy.x:DELETED:!=:test                 | true
            CREATED  | io.cozy.x.bad            | {"_id":"1"}                                 |                                   | io.cozy.x:CREATED                         | false
            NOTIFIED | io.cozy.x                | {"_id":"1"}                                 |                                   | io.cozy.x                                 | false
            CREATED  | io.cozy.x                | {"_id":"a1"}                                |                                   | io.cozy.x:CREATED:a1                      | true
            CREATED  | io.cozy.x                | {"_id":"a1"}                                |                                   | io.cozy.x:CREATED:a2,a1                   | true
            CREATED  | io.cozy.x                | {"_id":"a1"}                                |                                   | io.cozy.x:CREATED:a2                      | false
            CREATED  | io.cozy.x                | {"_id":"a1"}                                |                                   | io.cozy.x:CREATED:!=                      | false
            UPDATED  | io.cozy.bank.operations  | {"_id":"1","category":"food"}               | {"_id":"1","category":"salary"}   | io.cozy.bank.operations:UPDATED:salary:category | true
            UPDATED  | io.cozy.bank.operations  | {"_id":"1","category":"food"}               | {"_id":"1","category":"rent"}     | io.cozy.bank.operations:UPDATED:salary:category | false
            CREATED  | io.cozy.bank.operations  | {"_id":"1","amount":1000000}                |                                   | io.cozy.bank.operations:CREATED:1000000:amount | true
            CREATED  | io.cozy.bank.operations  | {"_id":"1","amount":1.50}                   |                                   | io.cozy.bank.operations:CREATED:1.5:amount | true
            CREATED  | io.cozy.bank.operations  | {"_id":"1","flag":true}                     |                                   | io.cozy.bank.operations:CREATED:true:flag | true
            CREATED  | io.cozy.files            | {"_id":"1","tags":["a","b"]}                |                                   | io.cozy.files:CREATED:b:tags              | true
            CREATED  | io.cozy.files            | {"_id":"1","referenced_by":[{"type":"io.cozy.albums","id":"al1"}]} |        | io.cozy.files:CREATED:io.cozy.albums/al1:referenced_by | true
            CREATED  | io.cozy.bank.operations  | {"_id":"1"}                                 |                                   | io.cozy.bank.*                            | true
            CREATED  | io.cozy.bank.operations  | {"_id":"1"}                                 |                                   | io.cozy.files:ALL                         | false
            DELETED  | io.cozy.files            | {"_id":"1"}                                 |                                   | io.cozy.files:ALL                         | true
            """)
    void should_match_events_as_the_stack_does(
            String verb, String doctype, String doc, String old, String rule, boolean expected) {
        DocumentEvent event = new DocumentEvent(
                verb, doctype, (ObjectNode) JSON.readTree(doc), old == null ? null : (ObjectNode) JSON.readTree(old));
        assertThat(EventMatcher.matches(RuleParser.parse(rule), event)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            io.cozy.bank.operations:CREATED io.cozy.bank.bills:CREATED | io.cozy.bank.bills      | true
            io.cozy.bank.operations:CREATED io.cozy.bank.bills:CREATED | io.cozy.bank.accounts   | false
            """)
    void should_fire_when_any_rule_of_a_trigger_matches(String rules, String doctype, boolean expected) {
        DocumentEvent event =
                new DocumentEvent("CREATED", doctype, (ObjectNode) JSON.readTree("{\"_id\":\"1\"}"), null);
        assertThat(EventMatcher.matchesAny(RuleParser.parseList(rules), event, EventMatcher.Directories.NONE))
                .isEqualTo(expected);
    }
}
