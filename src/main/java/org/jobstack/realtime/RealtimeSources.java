package org.jobstack.realtime;

import java.util.HashMap;
import java.util.Map;
import org.jobstack.common.AfterCommit;
import org.jobstack.common.DocumentChanged;
import org.jobstack.job.Job;
import org.jobstack.job.JobChanges;
import org.jobstack.job.JobDocuments;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns Jobstack's writes, once committed, into realtime events: jobs ({@code io.cozy.jobs}),
 * triggers, apps and konnectors. For an instance nobody watches nothing is built and nothing
 * waits for the commit (a map lookup per write, on the paths that queue and run jobs).
 */
@Component
class RealtimeSources {

    private final RealtimeRelay relay;
    private final JobDocuments jobDocuments;

    RealtimeSources(RealtimeRelay relay, JobDocuments jobDocuments) {
        this.relay = relay;
        this.jobDocuments = jobDocuments;
    }

    @EventListener
    void onJobChanged(JobChanges.JobChanged changed) {
        if (!relay.wanted(changed.domain())) {
            return;
        }
        Job job = changed.job();
        String verb = changed.deleted() ? "DELETED" : changed.previous() == null ? "CREATED" : "UPDATED";
        ObjectNode doc = jobDocuments.attributes(job);
        if (changed.deleted()) {
            doc.put("_deleted", true);
        }
        RealtimeEvent event = new RealtimeEvent(
                job.domain(),
                verb,
                JobDocuments.DOCTYPE,
                job.id(),
                doc,
                Map.of("worker", job.worker(), "state", job.state().value()));
        AfterCommit.run(() -> relay.publish(event));
    }

    @EventListener
    void onDocumentChanged(DocumentChanged changed) {
        if (!relay.wanted(changed.domain())) {
            return;
        }
        ObjectNode doc;
        if (changed.doc() != null) {
            doc = changed.doc().deepCopy();
        } else if (changed.old() != null) {
            doc = changed.old().deepCopy();
        } else {
            return;
        }
        if (changed.verb().equals("DELETED")) {
            doc.put("_deleted", true);
        }
        RealtimeEvent event =
                new RealtimeEvent(changed.domain(), changed.verb(), changed.doctype(), changed.id(), doc, fields(doc));
        AfterCommit.run(() -> relay.publish(event));
    }

    /** The fields rules with a selector may name: a trigger's worker, an app's slug and state. */
    private static Map<String, String> fields(ObjectNode doc) {
        Map<String, String> fields = new HashMap<>();
        for (String name : new String[] {"worker", "slug", "state"}) {
            JsonNode value = doc.get(name);
            if (value != null && value.isString()) {
                fields.put(name, value.asString());
            }
        }
        return fields;
    }
}
