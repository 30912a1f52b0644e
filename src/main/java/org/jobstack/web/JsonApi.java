package org.jobstack.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** JSON:API documents as the stack writes them. */
public final class JsonApi {

    public static final String MEDIA_TYPE_VALUE = "application/vnd.api+json";
    public static final MediaType MEDIA_TYPE = MediaType.parseMediaType(MEDIA_TYPE_VALUE);

    private JsonApi() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resource(
            String type, String id, Object attributes, Map<String, Object> meta, Map<String, String> links) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Document(Object data, Map<String, Object> meta, Map<String, String> links) {}

    public static ResponseEntity<Document> single(int status, Resource resource) {
        return ResponseEntity.status(status).contentType(MEDIA_TYPE).body(new Document(resource, null, null));
    }

    public static ResponseEntity<Document> list(List<Resource> resources, Map<String, String> links) {
        return ResponseEntity.ok()
                .contentType(MEDIA_TYPE)
                .body(new Document(resources, Map.of("count", resources.size()), links));
    }
}
