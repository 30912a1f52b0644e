package org.jobstack.trigger;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.jobstack.job.RateLimits;
import org.jobstack.web.InstanceDomain;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /jobs/webhooks/:id}: no token, the unguessable trigger id is the secret. The body
 * becomes the job's payload: as it is when it is JSON, as a JSON string otherwise. The job of
 * concurrent calls share one commit, made before each call is answered.
 */
@RestController
class WebhookController {

    private final TriggerRepository triggers;
    private final TriggerFiring firing;
    private final RateLimits limits;
    private final JsonMapper json;
    private final int maxBodyBytes;

    WebhookController(
            TriggerRepository triggers,
            TriggerFiring firing,
            RateLimits limits,
            JsonMapper json,
            JobstackProperties properties) {
        this.maxBodyBytes = (int) Math.min(
                Integer.MAX_VALUE - 8, properties.limits().webhookBody().toBytes());
        this.triggers = triggers;
        this.firing = firing;
        this.limits = limits;
        this.json = json;
    }

    @PostMapping("/jobs/webhooks/{id}")
    ResponseEntity<Void> fire(
            @PathVariable String id,
            @RequestParam(name = "Manual", defaultValue = "false") boolean manual,
            HttpServletRequest request)
            throws IOException {
        Trigger trigger =
                triggers.readPlain(id, InstanceDomain.of(request)).orElseThrow(() -> Problem.notFound("Not found"));
        if (trigger.type() != TriggerType.WEBHOOK) {
            throw Problem.invalid("/data/attributes/type", "Not a webhook");
        }
        if (trigger.paused()) {
            throw Problem.conflict("Trigger " + id + " is paused");
        }
        String payload = payload(request);
        limits.hit(trigger.domain(), RateLimits.WEBHOOK);
        firing.fireGrouped(trigger, new Occurrence(null, payload, manual));
        return ResponseEntity.noContent().build();
    }

    private String payload(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBodyBytes + 1);
        }
        if (body.length > maxBodyBytes) {
            throw tooLarge();
        }
        if (body.length == 0) {
            return null;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            return json.writeValueAsString(json.readTree(text));
        } catch (JacksonException notJson) {
            return json.writeValueAsString(text);
        }
    }

    private Problem tooLarge() {
        return Problem.tooLarge(null, "Webhook bodies are limited to " + maxBodyBytes + " bytes");
    }
}
