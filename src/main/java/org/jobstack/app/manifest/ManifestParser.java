package org.jobstack.app.manifest;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jobstack.common.GoDuration;
import org.jobstack.common.Problem;
import org.jobstack.permission.InvalidRuleException;
import org.jobstack.permission.Rule;
import org.jobstack.permission.RuleParser;
import org.jobstack.trigger.TriggerSpecs;
import org.jobstack.trigger.TriggerType;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and validates a manifest. Every refusal says which manifest field is wrong; the whole
 * JSON is kept so unknown fields survive.
 */
@Component
public final class ManifestParser {

    public static final int MAX_BYTES = 1024 * 1024;
    /** The stack's way of writing "no trigger" in a manifest. */
    static final String NO_TRIGGER = "@at 2000-01-01T00:00:00.000Z";

    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}");

    private final JsonMapper json;

    public ManifestParser(JsonMapper json) {
        this.json = json;
    }

    public Manifest parse(byte[] bytes, AppKind kind, String slug) {
        String file = kind.manifestFile();
        if (bytes.length > MAX_BYTES) {
            throw Problem.tooLarge("source", file + " is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (JacksonException e) {
            throw bad(file, null, "is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw bad(file, null, "must be a JSON object");
        }
        ObjectNode manifest = (ObjectNode) root;
        String type = optionalString(manifest, "type", file);
        if (type != null && !type.equalsIgnoreCase(kind.value())) {
            throw bad(file, "type", "is \"" + type + "\"; this route installs a " + kind.value());
        }
        String version = optionalString(manifest, "version", file);
        if (version == null || !VERSION.matcher(version).matches()) {
            throw bad(file, "version", "is required: a version such as 1.2.0");
        }
        String name = optionalString(manifest, "name", file);
        Map<String, Rule> permissions = permissions(manifest.get("permissions"), file);
        Map<String, ServiceDeclaration> services =
                kind == AppKind.WEBAPP ? services(manifest.get("services"), file) : Map.of();
        return new Manifest(slug, version, name == null ? slug : name, permissions, services, manifest);
    }

    private static Map<String, Rule> permissions(JsonNode node, String file) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return rules;
        }
        if (!node.isObject()) {
            throw bad(file, "permissions", "must be an object");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String at = "permissions." + entry.getKey();
            JsonNode p = entry.getValue();
            if (!p.isObject()) {
                throw bad(file, at, "must be an object");
            }
            String doctype = optionalString(p, "type", file, at + ".type");
            if (doctype == null) {
                throw bad(file, at + ".type", "is required");
            }
            Rule base;
            try {
                base = RuleParser.parse(doctype);
                if (doctype.contains(":")) {
                    throw new InvalidRuleException("a doctype has no ':'");
                }
            } catch (InvalidRuleException e) {
                throw bad(file, at + ".type", e.getMessage());
            }
            Set<String> verbs = new LinkedHashSet<>();
            for (String verb : strings(p.get("verbs"), file, at + ".verbs")) {
                if (verb.equals("ALL")) {
                    verbs.clear();
                    break;
                }
                if (!RuleParser.HTTP_VERBS.contains(verb.toUpperCase(Locale.ROOT))) {
                    throw bad(file, at + ".verbs", "\"" + verb + "\" is not GET, POST, PUT, PATCH, DELETE or ALL");
                }
                verbs.add(verb.toUpperCase(Locale.ROOT));
            }
            List<String> values = strings(p.get("values"), file, at + ".values");
            String selector = optionalString(p, "selector", file, at + ".selector");
            rules.put(
                    entry.getKey(),
                    new Rule(
                            base.doctype(),
                            base.wildcard(),
                            verbs,
                            values,
                            values.isEmpty() || selector == null || selector.isEmpty() ? null : selector));
        }
        return rules;
    }

    private static Map<String, ServiceDeclaration> services(JsonNode node, String file) {
        Map<String, ServiceDeclaration> services = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return services;
        }
        if (!node.isObject()) {
            throw bad(file, "services", "must be an object");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = entry.getKey();
            String at = "services." + name;
            if (!SERVICE_NAME.matcher(name).matches()) {
                throw bad(file, at, "service names are letters, digits, '.', '_' and '-' (at most 255)");
            }
            JsonNode s = entry.getValue();
            if (!s.isObject()) {
                throw bad(file, at, "must be an object");
            }
            String type = orEmpty(optionalString(s, "type", file, at + ".type"));
            String serviceFile = serviceFile(optionalString(s, "file", file, at + ".file"), file, at + ".file");
            String trigger =
                    orEmpty(optionalString(s, "trigger", file, at + ".trigger")).strip();
            if (trigger.equals(NO_TRIGGER)) {
                trigger = "";
            }
            String debounce = orEmpty(optionalString(s, "debounce", file, at + ".debounce"))
                    .strip();
            ServiceDeclaration service =
                    new ServiceDeclaration(name, type.isEmpty() ? "node" : type, serviceFile, trigger, debounce);
            validateTrigger(service, file, at);
            services.put(name, service);
        }
        return services;
    }

    private static void validateTrigger(ServiceDeclaration service, String file, String at) {
        if (!service.debounce().isEmpty()) {
            try {
                GoDuration.parse(service.debounce());
            } catch (IllegalArgumentException e) {
                throw bad(file, at + ".debounce", e.getMessage());
            }
        }
        if (!service.hasTrigger()) {
            return;
        }
        try {
            TriggerType type = TriggerSpecs.type(service.triggerType());
            if (type == TriggerType.CLIENT) {
                throw bad(file, at + ".trigger", "@client triggers are created by clients, not by manifests");
            }
            TriggerSpecs.validate(type, service.triggerArguments());
        } catch (Problem p) {
            if (p.getMessage().startsWith(file)) {
                throw p;
            }
            throw bad(file, at + ".trigger", p.getMessage());
        }
    }

    /** Normalised path inside the app; refuses anything that would leave it. */
    static String serviceFile(String raw, String file, String at) {
        if (raw == null || raw.isBlank()) {
            throw bad(file, at, "is required");
        }
        String relative = raw.strip();
        while (relative.startsWith("/")) {
            relative = relative.substring(1);
        }
        try {
            Path path = Path.of(relative).normalize();
            if (relative.isEmpty()
                    || path.isAbsolute()
                    || path.startsWith("..")
                    || path.toString().isEmpty()
                    || relative.indexOf('\\') >= 0) {
                throw bad(file, at, "must name a file inside the app");
            }
            return path.toString();
        } catch (InvalidPathException e) {
            throw bad(file, at, "must name a file inside the app");
        }
    }

    private static List<String> strings(JsonNode node, String file, String at) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw bad(file, at, "must be an array of strings");
        }
        ArrayList<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isString()) {
                throw bad(file, at, "must be an array of strings");
            }
            out.add(item.asString());
        }
        return out;
    }

    private static String optionalString(JsonNode node, String field, String file) {
        return optionalString(node, field, file, field);
    }

    private static String optionalString(JsonNode node, String field, String file, String at) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw bad(file, at, "must be a string");
        }
        return value.asString();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Problem bad(String file, String field, String detail) {
        return Problem.malformed("source", file + (field == null ? " " : ": " + field + " ") + detail);
    }
}
