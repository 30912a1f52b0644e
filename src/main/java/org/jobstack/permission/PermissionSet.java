package org.jobstack.permission;

import java.util.List;
import java.util.Map;

/** What a token may do: a list of rules, any of which may allow an action. */
public record PermissionSet(List<Rule> rules) {

    public static final PermissionSet NONE = new PermissionSet(List.of());

    public PermissionSet {
        rules = List.copyOf(rules);
    }

    public static PermissionSet parse(String scope) {
        return scope == null || scope.isBlank() ? NONE : new PermissionSet(RuleParser.parseList(scope));
    }

    /**
     * May the holder apply {@code verb} to a document of {@code doctype}, whose id and selectable
     * fields are given? Rules with values match ids, or the named field when they have a selector.
     */
    public boolean allows(String verb, String doctype, String id, Map<String, String> fields) {
        for (Rule rule : rules) {
            if (rule.coversDoctype(doctype) && rule.allowsVerb(verb) && matchesValues(rule, id, fields)) {
                return true;
            }
        }
        return false;
    }

    /**
     * May the holder apply {@code verb} to some documents of {@code doctype}: to every one, or to the
     * document {@code id} when given, or to those a rule selects by a field (known per document)?
     */
    public boolean allowsSome(String verb, String doctype, String id) {
        return rules.stream()
                .anyMatch(r -> r.coversDoctype(doctype)
                        && r.allowsVerb(verb)
                        && (r.wholeType()
                                || id == null
                                || r.selector() != null
                                || r.values().contains(id)));
    }

    /** Only a rule over the whole doctype (no values) allows this. */
    public boolean allowsWholeType(String verb, String doctype) {
        return rules.stream().anyMatch(r -> r.coversDoctype(doctype) && r.allowsVerb(verb) && r.wholeType());
    }

    private static boolean matchesValues(Rule rule, String id, Map<String, String> fields) {
        if (rule.wholeType()) {
            return true;
        }
        String actual = rule.selector() == null ? id : fields.get(rule.selector());
        return actual != null && rule.values().contains(actual);
    }
}
