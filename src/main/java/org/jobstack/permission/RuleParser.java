package org.jobstack.permission;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses rules and space-separated rule lists. Stricter than the stack where the stack silently
 * accepts rules that can never match, kinder where it fails on harmless spacing (see
 * docs/compatibility.md).
 */
public final class RuleParser {

    /** Verbs that {@code ALL} stands for in permissions. */
    public static final Set<String> HTTP_VERBS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private static final Pattern DOCTYPE = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");
    private static final int MAX_RULE_LENGTH = 1024;
    private static final int MAX_RULES = 64;

    private RuleParser() {}

    /** Parses one rule; throws {@link InvalidRuleException} naming what is wrong. */
    public static Rule parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRuleException("rule is empty");
        }
        if (text.length() > MAX_RULE_LENGTH) {
            throw new InvalidRuleException("rule is longer than " + MAX_RULE_LENGTH + " characters");
        }
        String[] parts = text.split(":", -1);
        if (parts.length > 4) {
            throw new InvalidRuleException("rule \"" + text + "\" has " + parts.length
                    + " parts; the form is doctype[:verbs[:values[:selector]]]");
        }
        String type = parts[0];
        boolean wildcard = type.endsWith(".*");
        String doctype = wildcard ? type.substring(0, type.length() - 2) : type;
        if (!DOCTYPE.matcher(doctype).matches()
                || (wildcard && doctype.chars().filter(c -> c == '.').count() < 2)) {
            throw new InvalidRuleException("\"" + type + "\" is not a valid doctype (lowercase letters, digits,"
                    + " '_' and '.', like io.cozy.files; a wildcard needs three dots: io.cozy.bank.*)");
        }
        Set<String> verbs = parts.length > 1 ? verbs(parts[1]) : Set.of();
        List<String> values =
                parts.length > 2 && !parts[2].isEmpty() ? Arrays.asList(parts[2].split(",", -1)) : List.of();
        if (values.stream().anyMatch(String::isEmpty)) {
            throw new InvalidRuleException("rule \"" + text + "\" has an empty value");
        }
        String selector = parts.length > 3 && !parts[3].isEmpty() ? parts[3] : null;
        if (selector != null && values.isEmpty()) {
            throw new InvalidRuleException("rule \"" + text + "\" has a selector but no values");
        }
        return new Rule(doctype, wildcard, verbs, values, selector);
    }

    /** Parses rules separated by whitespace (any run of spaces); at least one rule. */
    public static List<Rule> parseList(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRuleException("no rule given");
        }
        String[] items = text.strip().split("\\s+");
        if (items.length > MAX_RULES) {
            throw new InvalidRuleException("more than " + MAX_RULES + " rules");
        }
        List<Rule> rules = new ArrayList<>(items.length);
        for (String item : items) {
            rules.add(parse(item));
        }
        return List.copyOf(rules);
    }

    private static Set<String> verbs(String part) {
        Set<String> verbs = new LinkedHashSet<>();
        for (String verb : part.split(",", -1)) {
            String v = verb.strip();
            if (v.isEmpty()) {
                continue;
            }
            if (v.equals("ALL")) {
                return Set.of();
            }
            if (!v.equals(v.toUpperCase(Locale.ROOT)) || !v.chars().allMatch(Character::isLetter)) {
                throw new InvalidRuleException("\"" + v + "\" is not a verb (upper case, like GET or CREATED)");
            }
            verbs.add(v);
        }
        return verbs;
    }
}
