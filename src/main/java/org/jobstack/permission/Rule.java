package org.jobstack.permission;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One cozy rule {@code doctype[:verbs[:values[:selector]]]}, the grammar shared by token scopes,
 * manifest permissions and {@code @event} triggers.
 *
 * @param doctype  exact doctype, or a prefix when {@code wildcard} ({@code io.cozy.files.*})
 * @param verbs    the verbs written, upper case; empty means every verb
 * @param values   ids, or selector values when {@code selector} is set; empty means the whole doctype
 * @param selector field name the values apply to; null means values are document ids
 */
public record Rule(String doctype, boolean wildcard, Set<String> verbs, List<String> values, String selector) {

    public Rule {
        verbs = Set.copyOf(verbs);
        values = List.copyOf(values);
    }

    public boolean coversDoctype(String candidate) {
        return wildcard ? candidate.startsWith(doctype + ".") : doctype.equals(candidate);
    }

    public boolean allowsVerb(String verb) {
        return verbs.isEmpty() || verbs.contains(verb);
    }

    public boolean wholeType() {
        return values.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(wildcard ? doctype + ".*" : doctype);
        if (!verbs.isEmpty() || !values.isEmpty()) {
            s.append(':').append(verbs.isEmpty() ? "ALL" : String.join(",", new TreeSet<>(verbs)));
        }
        if (!values.isEmpty()) {
            s.append(':').append(String.join(",", values));
            if (selector != null) {
                s.append(':').append(selector);
            }
        }
        return s.toString();
    }
}
