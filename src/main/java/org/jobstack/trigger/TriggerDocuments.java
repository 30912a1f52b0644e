package org.jobstack.trigger;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jobstack.web.JsonApi.Resource;
import org.jobstack.web.Times;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Triggers and their states in the stack's JSON:API shapes (reference §2.2, §3.1, §3.2). */
@Component
class TriggerDocuments {

    public static final String DOCTYPE = "io.cozy.triggers";
    private final JsonMapper json;

    public TriggerDocuments(JsonMapper json) {
        this.json = json;
    }

    /** The trigger; {@code state} is added as {@code current_state} when given; {@code baseUrl} serves webhook links. */
    public Resource trigger(Trigger trigger, TriggerState state, String baseUrl) {
        ObjectNode a = attributes(trigger);
        if (state != null) {
            a.set("current_state", state(state));
        }
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", "/jobs/triggers/" + trigger.id());
        if (trigger.type() == TriggerType.WEBHOOK) {
            links.put("webhook", baseUrl + "/jobs/webhooks/" + trigger.id());
        }
        return new Resource(DOCTYPE, trigger.id(), a, Map.of(), links);
    }

    public ObjectNode attributes(Trigger trigger) {
        ObjectNode a = json.createObjectNode();
        a.put("_id", trigger.id());
        a.put("domain", trigger.domain());
        a.put("type", trigger.type().written());
        a.put("worker", trigger.worker());
        a.put("arguments", trigger.arguments());
        a.put("debounce", trigger.debounce());
        if (trigger.paused()) {
            a.put("paused", true);
        }
        if (trigger.options().isEmpty()) {
            a.putNull("options");
        } else {
            ObjectNode options = a.putObject("options");
            if (trigger.options().maxExecCount() != null) {
                options.put("max_exec_count", trigger.options().maxExecCount());
            }
            if (trigger.options().timeout() != null) {
                options.put("timeout", trigger.options().timeout().toSeconds());
            }
        }
        a.set("message", trigger.message() == null ? json.nullNode() : json.readTree(trigger.message()));
        if (trigger.nextRunAt() != null) {
            a.put("next_run_at", Times.format(trigger.nextRunAt()));
        }
        ObjectNode meta = a.putObject("cozyMetadata");
        meta.put("doctypeVersion", "1");
        meta.put("metadataVersion", 1);
        meta.put("createdAt", Times.format(trigger.createdAt()));
        meta.put("updatedAt", Times.format(trigger.updatedAt()));
        if (trigger.createdBy() != null) {
            meta.put("createdByApp", trigger.createdBy());
        }
        return a;
    }

    public Resource stateDocument(TriggerState state) {
        return new Resource(
                "io.cozy.triggers.state",
                state.triggerId(),
                state(state),
                null,
                Map.of("self", "/jobs/triggers/" + state.triggerId() + "/state"));
    }

    private ObjectNode state(TriggerState s) {
        ObjectNode n = json.createObjectNode();
        n.put("trigger_id", s.triggerId());
        n.put("status", s.status());
        if (s.lastSuccessfulJobId() != null) {
            n.put("last_success", Times.format(s.lastSuccess()));
            n.put("last_successful_job_id", s.lastSuccessfulJobId());
        }
        if (s.lastExecutedJobId() != null) {
            n.put("last_execution", Times.format(s.lastExecution()));
            n.put("last_executed_job_id", s.lastExecutedJobId());
        }
        if (s.lastFailedJobId() != null) {
            n.put("last_failure", Times.format(s.lastFailure()));
            n.put("last_failed_job_id", s.lastFailedJobId());
            n.put("last_error", s.lastError());
        }
        if (s.lastManualJobId() != null) {
            n.put("last_manual_execution", Times.format(s.lastManualExecution()));
            n.put("last_manual_job_id", s.lastManualJobId());
        }
        return n;
    }
}
