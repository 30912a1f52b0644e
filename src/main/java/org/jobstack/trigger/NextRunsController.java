package org.jobstack.trigger;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jobstack.auth.Caller;
import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.jobstack.job.WorkerRegistry;
import org.jobstack.web.JsonApi;
import org.jobstack.web.JsonApi.Document;
import org.jobstack.web.JsonApi.Resource;
import org.jobstack.web.JsonApiBody;
import org.jobstack.web.Times;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The next runs of a saved trigger ({@code GET /jobs/triggers/:id/next}) and of a trigger not
 * saved yet ({@code POST /jobs/triggers/next} with the body that would create it): beyond the
 * reference. Nothing is stored.
 */
@RestController
class NextRunsController {

    static final String TYPE = "io.cozy.triggers.next_runs";

    private final TriggerService triggers;
    private final Clock clock;
    private final ZoneId zone;

    NextRunsController(TriggerService triggers, Clock clock, JobstackProperties properties) {
        this.triggers = triggers;
        this.clock = clock;
        this.zone = properties.triggers().timeZone();
    }

    @GetMapping("/jobs/triggers/{id}/next")
    ResponseEntity<Document> saved(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @RequestParam(name = "Count", required = false) String count) {
        Trigger trigger = triggers.get(caller.domain(), id);
        caller.require("GET", TriggerDocuments.DOCTYPE, id, Map.of("worker", trigger.worker()));
        NextRuns.Forecast forecast = NextRuns.of(trigger, count(count), clock.instant(), zone);
        return answer(id, trigger.type().written(), trigger.arguments(), zone, forecast, trigger.paused());
    }

    @PostMapping("/jobs/triggers/next")
    ResponseEntity<Document> preview(
            @AuthenticationPrincipal Caller caller,
            @RequestBody JsonNode body,
            @RequestParam(name = "Count", required = false) String count,
            @RequestParam(name = "TZ", required = false) String timeZone) {
        ObjectNode a = JsonApiBody.attributes(body);
        TriggerType type = TriggerSpecs.type(JsonApiBody.string(a, "type"));
        String worker = type == TriggerType.CLIENT ? WorkerRegistry.CLIENT : JsonApiBody.string(a, "worker");
        caller.require("GET", TriggerDocuments.DOCTYPE, null, worker == null ? Map.of() : Map.of("worker", worker));
        String arguments = JsonApiBody.string(a, "arguments");
        ZoneId in = timeZone == null || timeZone.isBlank() ? zone : zone(timeZone);
        Instant now = clock.instant();
        TriggerSpec spec = TriggerSpecs.parse(type, arguments, now, in);
        String seed = TriggerClock.seed(caller.domain(), worker, JsonApiBody.json(a, "message"));
        NextRuns.Forecast forecast = NextRuns.preview(spec, seed, count(count), now, in);
        return answer(null, type.written(), arguments == null ? "" : arguments.strip(), in, forecast, false);
    }

    private static ResponseEntity<Document> answer(
            String id, String type, String arguments, ZoneId zone, NextRuns.Forecast forecast, boolean paused) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", type);
        attributes.put("arguments", arguments);
        attributes.put("time_zone", zone.getId());
        attributes.put("next_runs", forecast.runs().stream().map(Times::format).toList());
        if (forecast.end() != null) {
            attributes.put("end", forecast.end());
        }
        if (paused) {
            attributes.put("paused", true);
        }
        return JsonApi.single(200, new Resource(TYPE, id, attributes, null, null));
    }

    private static int count(String written) {
        if (written == null || written.isBlank()) {
            return NextRuns.DEFAULT_COUNT;
        }
        try {
            int n = Integer.parseInt(written.strip());
            if (n >= 1 && n <= NextRuns.MAX_COUNT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Problem.malformed("Count", "Count must be an integer from 1 to " + NextRuns.MAX_COUNT);
    }

    private static ZoneId zone(String written) {
        try {
            return ZoneId.of(written.strip());
        } catch (DateTimeException e) {
            throw Problem.malformed("TZ", "Unknown time zone \"" + written.strip() + "\"");
        }
    }
}
