package org.jobstack.realtime;

import java.util.Map;
import java.util.regex.Pattern;
import org.jobstack.auth.Caller;
import org.jobstack.common.Problem;
import org.jobstack.web.RawJsonBody;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /realtime/:doctype/:id}, as in cozy-stack: sends the body to the realtime clients
 * as a {@code NOTIFIED} event of that document, stored nowhere (and never seen by triggers). The
 * token must allow {@code POST} on the document.
 */
@RestController
class RealtimeNotifyController {

    private static final Pattern DOCTYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,253}");
    private static final int MAX_ID = 256;

    private final RealtimeRelay relay;

    RealtimeNotifyController(RealtimeRelay relay) {
        this.relay = relay;
    }

    @PostMapping("/realtime/{doctype}/{id}")
    @RawJsonBody
    ResponseEntity<Void> notify(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String doctype,
            @PathVariable String id,
            @RequestBody JsonNode body) {
        if (!DOCTYPE.matcher(doctype).matches()) {
            throw Problem.invalid("doctype", "Not a doctype: lower-case letters, digits, dots, dashes, underscores");
        }
        if (id.isBlank() || id.length() > MAX_ID) {
            throw Problem.invalid("id", "A document id has 1 to " + MAX_ID + " characters");
        }
        if (body == null || !body.isObject()) {
            throw Problem.malformed("", "The body must be a JSON object");
        }
        caller.require("POST", doctype, id, Map.of());
        ObjectNode doc = ((ObjectNode) body).deepCopy();
        doc.put("_id", id);
        relay.publish(new RealtimeEvent(caller.domain(), "NOTIFIED", doctype, id, doc, Map.of()));
        return ResponseEntity.noContent().build();
    }
}
