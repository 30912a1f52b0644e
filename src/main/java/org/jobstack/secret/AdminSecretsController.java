package org.jobstack.secret;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jobstack.web.JsonApi;
import org.jobstack.web.JsonApi.Document;
import org.jobstack.web.JsonApi.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin API: re-encrypt every stored secret with the node's primary key and retire the others. */
@RestController
class AdminSecretsController {

    private final SecretsAtRest secrets;

    AdminSecretsController(SecretsAtRest secrets) {
        this.secrets = secrets;
    }

    @PostMapping("/secrets/rotate")
    ResponseEntity<Document> rotate() {
        SecretsAtRest.Rotation rotation = secrets.rotate();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("key_id", rotation.keyId());
        attributes.put("resealed", rotation.resealed());
        attributes.put("retired", rotation.retired());
        return JsonApi.single(200, new Resource("secret-keys", rotation.keyId(), attributes, null, null));
    }
}
