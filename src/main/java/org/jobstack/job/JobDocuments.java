package org.jobstack.job;

import java.util.Map;
import org.jobstack.web.JsonApi.Resource;
import org.jobstack.web.Times;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Jobs in the stack's JSON:API shapes. */
@Component
public class JobDocuments {

    public static final String DOCTYPE = "io.cozy.jobs";
    private final JsonMapper json;

    public JobDocuments(JsonMapper json) {
        this.json = json;
    }

    public Resource job(Job job) {
        return new Resource(DOCTYPE, job.id(), attributes(job), Map.of(), Map.of("self", "/jobs/" + job.id()));
    }

    /** The job as a cozy document: its attributes, as events about jobs carry them. */
    public ObjectNode attributes(Job job) {
        ObjectNode a = json.createObjectNode();
        a.put("_id", job.id());
        a.put("domain", job.domain());
        a.put("worker", job.worker());
        if (job.triggerId() != null) {
            a.put("trigger_id", job.triggerId());
        }
        a.set("message", raw(job.message()));
        a.set("event", raw(job.event()));
        if (job.payload() != null) {
            a.set("payload", raw(job.payload()));
        }
        if (job.manual()) {
            a.put("manual_execution", true);
        }
        if (job.debounced()) {
            a.put("debounced", true);
        }
        if (!job.options().isEmpty()) {
            ObjectNode options = a.putObject("options");
            if (job.options().maxExecCount() != null) {
                options.put("max_exec_count", job.options().maxExecCount());
            }
            if (job.options().timeout() != null) {
                options.put("timeout", job.options().timeout().toSeconds());
            }
        }
        a.put("state", job.state().value());
        a.put("queued_at", Times.format(job.queuedAt()));
        a.put("started_at", Times.format(job.startedAt()));
        a.put("finished_at", Times.format(job.finishedAt()));
        if (job.error() != null) {
            a.put("error", job.error());
        }
        a.put("attempts", job.attempts());
        return a;
    }

    private JsonNode raw(String text) {
        return text == null ? json.nullNode() : json.readTree(text);
    }
}
