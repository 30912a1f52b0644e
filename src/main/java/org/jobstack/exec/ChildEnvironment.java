package org.jobstack.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The environment of a service or konnector process, built from nothing: the {@code COZY_*}
 * variables the stack gives them (reference §8.4, in its order), then PATH, HOME and TMPDIR, then
 * the configured extras. Nothing of the server's own environment reaches the child.
 */
public final class ChildEnvironment {

    /** Payloads longer than this go to a file, passed as {@code @cozy_payload.json}. */
    static final int PAYLOAD_INLINE_LIMIT = 100_000;

    static final String PAYLOAD_FILE = "cozy_payload.json";

    private ChildEnvironment() {}

    /** What every run has. {@code payload} and {@code event} are JSON text or null. */
    public record Run(
            String stackUrl,
            String credentials,
            String locale,
            Instant now,
            Instant deadline,
            String jobId,
            String payload,
            String triggerId,
            Path runDir) {}

    /** What the server adds to every child's environment: its PATH and the configured extras. */
    record Basics(String path, Map<String, String> extras) {}

    static Map<String, String> forService(Run run, String event, String fields, Basics basics, JsonMapper json)
            throws IOException {
        return finish(serviceVariables(run, event, fields, json), run, basics);
    }

    /**
     * A service's environment outside the server ({@code jobstack run-dev}): the same {@code COZY_*}
     * variables, with {@code PATH} as given and the run directory as {@code HOME} and {@code TMPDIR}.
     */
    public static Map<String, String> forDevService(Run run, String event, String fields, String path, JsonMapper json)
            throws IOException {
        return withProcessBasics(serviceVariables(run, event, fields, json), run, path);
    }

    /**
     * What a standby service process starts with, before its job is known: the non-{@code COZY_*}
     * part of {@link #forService} for a run in {@code runDir}.
     */
    static Map<String, String> forStandby(Path runDir, Basics basics) {
        return withExtras(withDirectory(new LinkedHashMap<>(), runDir, basics.path()), basics);
    }

    private static Map<String, String> serviceVariables(Run run, String event, String fields, JsonMapper json)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("COZY_URL", run.stackUrl());
        env.put("COZY_CREDENTIALS", run.credentials());
        env.put("COZY_LANGUAGE", "node");
        env.put("COZY_LOCALE", run.locale());
        env.put("COZY_TIME_LIMIT", Long.toString(timeLimitSeconds(run.now(), run.deadline())));
        env.put("COZY_JOB_ID", run.jobId());
        env.put("COZY_COUCH_DOC", couchDoc(event, json));
        env.put("COZY_PAYLOAD", payload(run.payload(), run.runDir(), json));
        env.put("COZY_FIELDS", fields);
        return env;
    }

    static Map<String, String> forKonnector(
            Run run, String message, String parameters, String language, boolean manual, Basics basics, JsonMapper json)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("COZY_URL", run.stackUrl());
        env.put("COZY_CREDENTIALS", run.credentials());
        env.put("COZY_FIELDS", message == null ? "null" : message);
        env.put("COZY_PARAMETERS", parameters == null ? "null" : parameters);
        env.put("COZY_PAYLOAD", payload(run.payload(), run.runDir(), json));
        env.put("COZY_LANGUAGE", language == null || language.isBlank() ? "node" : language);
        env.put("COZY_LOCALE", run.locale());
        env.put("COZY_TIME_LIMIT", Long.toString(timeLimitSeconds(run.now(), run.deadline())));
        env.put("COZY_JOB_ID", run.jobId());
        env.put("COZY_JOB_MANUAL_EXECUTION", Boolean.toString(manual));
        return finish(env, run, basics);
    }

    private static Map<String, String> finish(Map<String, String> env, Run run, Basics basics) {
        return withExtras(withProcessBasics(env, run, basics.path()), basics);
    }

    private static Map<String, String> withProcessBasics(Map<String, String> env, Run run, String path) {
        if (run.triggerId() != null) {
            env.put("COZY_TRIGGER_ID", run.triggerId());
        }
        return withDirectory(env, run.runDir(), path);
    }

    private static Map<String, String> withDirectory(Map<String, String> env, Path runDir, String path) {
        env.put("PATH", path);
        env.put("HOME", runDir.toString());
        env.put("TMPDIR", runDir.toString());
        return env;
    }

    private static Map<String, String> withExtras(Map<String, String> env, Basics basics) {
        basics.extras().forEach(env::putIfAbsent);
        return env;
    }

    /** Whole seconds left before the deadline, rounded up, plus 5 (300 s timeout → 305). */
    static long timeLimitSeconds(Instant now, Instant deadline) {
        long millis = Math.max(0, Duration.between(now, deadline).toMillis());
        return (millis + 999) / 1000 + 5;
    }

    /** {@code event.doc} of a non-debounced {@code @event} job, else empty. */
    private static String couchDoc(String event, JsonMapper json) {
        if (event == null) {
            return "";
        }
        try {
            JsonNode doc = json.readTree(event).get("doc");
            return doc == null || doc.isNull() ? "" : json.writeValueAsString(doc);
        } catch (JacksonException e) {
            return "";
        }
    }

    /** The payload if it is a JSON object (else empty), in a file when it is large. */
    private static String payload(String payload, Path runDir, JsonMapper json) throws IOException {
        if (payload == null) {
            return "";
        }
        String text;
        try {
            JsonNode node = json.readTree(payload);
            if (node == null || !node.isObject()) {
                return "";
            }
            text = json.writeValueAsString(node);
        } catch (JacksonException e) {
            return "";
        }
        if (text.getBytes(StandardCharsets.UTF_8).length <= PAYLOAD_INLINE_LIMIT) {
            return text;
        }
        Files.writeString(runDir.resolve(PAYLOAD_FILE), text, StandardCharsets.UTF_8);
        return "@" + PAYLOAD_FILE;
    }
}
