package org.jobstack.event;

import java.util.List;
import java.util.Optional;
import org.jobstack.permission.Rule;
import tools.jackson.databind.node.ObjectNode;

/**
 * Does a document event match a rule? The stack's rules (reference §5.2): doctype, verb, then
 * ids, a selector's values (the old version counts too, so a document leaving a selection
 * matches), or {@code !=} for "this field changed".
 */
final class EventMatcher {

    public static final String CHANGED = "!=";

    private EventMatcher() {}

    /** Finds a directory's path by id; used for {@code io.cozy.files} rules on a directory. */
    public interface Directories {
        Optional<String> path(String id);

        Directories NONE = id -> Optional.empty();
    }

    public static boolean matchesAny(List<Rule> rules, DocumentEvent event, Directories directories) {
        for (Rule rule : rules) {
            if (matches(rule, event, directories)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(Rule rule, DocumentEvent event) {
        return matches(rule, event, Directories.NONE);
    }

    public static boolean matches(Rule rule, DocumentEvent event, Directories directories) {
        if (!rule.coversDoctype(event.doctype()) || event.verb().equals("NOTIFIED") || !rule.allowsVerb(event.verb())) {
            return false;
        }
        if (rule.values().isEmpty()) {
            return true;
        }
        if (rule.selector() == null) {
            return rule.values().contains(event.docId())
                    || (FileDirectories.FILES.equals(event.doctype()) && underAny(rule, event, directories));
        }
        if (rule.values().equals(List.of(CHANGED))) {
            if (!event.verb().equals("UPDATED")) {
                return true;
            }
            return event.old() != null
                    && !FieldValues.fetch(event.doc(), rule.selector())
                            .equals(FieldValues.fetch(event.old(), rule.selector()));
        }
        return anyIn(rule, FieldValues.fetch(event.doc(), rule.selector()))
                || (event.old() != null && anyIn(rule, FieldValues.fetch(event.old(), rule.selector())));
    }

    /** Reference §5.2 5b: the document, or its old version, lies below a directory named by the rule. */
    private static boolean underAny(Rule rule, DocumentEvent event, Directories directories) {
        for (String value : rule.values()) {
            Optional<String> dir = directories.path(value);
            if (dir.isPresent()
                    && (below(event.doc(), dir.get(), directories)
                            || (event.old() != null && below(event.old(), dir.get(), directories)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean below(ObjectNode doc, String dirPath, Directories directories) {
        String path = fullPath(doc, directories);
        String prefix = dirPath.endsWith("/") ? dirPath : dirPath + "/";
        return path != null && path.startsWith(prefix);
    }

    /** A directory's path; a file's path, or its folder's path and its name; null when unknown. */
    static String fullPath(ObjectNode doc, Directories directories) {
        boolean file = "file".equals(doc.path("type").asString(""));
        if (file && doc.path("trashed").asBoolean(false)) {
            if (doc.path("_rev").asString("").startsWith("1-")) {
                return null;
            }
            String restore = doc.path("restore_path").asString("");
            if (!restore.isEmpty()) {
                return (restore.endsWith("/") ? restore : restore + "/")
                        + doc.path("name").asString("");
            }
        }
        String path = doc.path("path").asString("");
        if (!path.isEmpty()) {
            return path;
        }
        if (file && doc.has("dir_id") && doc.has("name")) {
            return directories
                    .path(doc.path("dir_id").asString())
                    .map(dir -> (dir.endsWith("/") ? dir : dir + "/")
                            + doc.path("name").asString())
                    .orElse(null);
        }
        return null;
    }

    private static boolean anyIn(Rule rule, List<String> values) {
        for (String value : values) {
            if (rule.values().contains(value)) {
                return true;
            }
        }
        return false;
    }
}
