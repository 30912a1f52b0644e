package org.jobstack.node;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jobstack.web.JsonApi;
import org.jobstack.web.JsonApi.Document;
import org.jobstack.web.JsonApi.Resource;
import org.jobstack.web.Times;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin API (admin port, passphrase): the nodes sharing the database, drained and undrained. */
@RestController
@RequestMapping("/nodes")
class NodeController {

    static final String TYPE = "io.jobstack.nodes";

    private final Nodes nodes;

    NodeController(Nodes nodes) {
        this.nodes = nodes;
    }

    @GetMapping
    ResponseEntity<Document> list() {
        return JsonApi.list(nodes.all().stream().map(NodeController::resource).toList(), null);
    }

    @GetMapping("/{id}")
    ResponseEntity<Document> show(@PathVariable String id) {
        return JsonApi.single(200, resource(nodes.get(id)));
    }

    @PostMapping("/{id}/drain")
    ResponseEntity<Document> drain(@PathVariable String id) {
        return JsonApi.single(200, resource(nodes.drain(id)));
    }

    @PostMapping("/{id}/undrain")
    ResponseEntity<Document> undrain(@PathVariable String id) {
        return JsonApi.single(200, resource(nodes.undrain(id)));
    }

    static Resource resource(Nodes.NodeStatus node) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("host", node.host());
        a.put("version", node.version());
        a.put("state", node.state().value());
        a.put("started_at", Times.format(node.startedAt()));
        a.put("heartbeat_at", Times.format(node.heartbeatAt()));
        a.put("heartbeat_age_ms", node.heartbeatAge().toMillis());
        a.put("running", node.runningTotal());
        a.put("running_by_worker", node.running());
        a.put("self", node.self());
        return new Resource(TYPE, node.id(), a, null, Map.of("self", "/nodes/" + node.id()));
    }
}
