package org.jobstack.job.log;

import org.jobstack.web.JsonApi.Resource;
import org.jobstack.web.Times;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Job log lines in the stack's JSON:API shape ({@code io.cozy.jobs.logs}). */
@Component
class LogDocuments {

    private final JsonMapper json;

    LogDocuments(JsonMapper json) {
        this.json = json;
    }

    Resource logLine(LogEntry entry) {
        ObjectNode a = json.createObjectNode();
        a.put("seq", entry.seq());
        a.put("attempt", entry.attempt());
        a.put("time", Times.format(entry.at()));
        a.put("stream", entry.stream());
        a.put("level", entry.level());
        a.put("message", entry.message());
        return new Resource("io.cozy.jobs.logs", entry.jobId() + "/" + entry.seq(), a, null, null);
    }
}
