package org.jobstack.floor;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /jobs/queue/:worker}: one job row inserted with {@link JdbcClient} and committed in
 * its own transaction before the 202 answer, a JSON:API document of the job. Nothing runs the job.
 * A body that is not JSON, or has no {@code data} object, gets a 400 JSON error.
 */
@RestController
class QueueController {

    static final String JSON_API = "application/vnd.api+json";
    private static final MediaType JSON_API_TYPE = MediaType.parseMediaType(JSON_API);
    private static final String DOMAIN = "floor.test";
    private static final String INSERT = """
            INSERT INTO job (id, domain, worker, message, manual, debounced, state, attempts, queued_at, run_at, sort_at)
            VALUES (:id, :domain, :worker, :message, TRUE, FALSE, 'queued', 0, :at, :at, :at)""";
    /** As Jobstack's ids: SecureRandom, shared. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final HexFormat HEX = HexFormat.of();

    record Document(Resource data) {}

    record Resource(String type, String id, Attributes attributes) {}

    record Attributes(
            String domain,
            String worker,
            String state,
            @JsonProperty("queued_at") String queuedAt,
            JsonNode arguments) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    /** {@code floor.write-job=false}: the same request and answer without the row, the HTTP side alone. */
    private final boolean writeJob;

    QueueController(JdbcClient jdbc, TransactionTemplate tx, @Value("${floor.write-job:true}") boolean writeJob) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.writeJob = writeJob;
    }

    @PostMapping(
            path = "/jobs/queue/{worker}",
            consumes = {JSON_API, MediaType.APPLICATION_JSON_VALUE})
    ResponseEntity<?> push(@PathVariable String worker, @RequestBody JsonNode body) {
        JsonNode data = body == null ? null : body.get("data");
        if (data == null || !data.isObject()) {
            return badRequest("Expected a JSON:API document {\"data\":{\"attributes\":{…}}}");
        }
        if (worker.length() > 64) {
            return badRequest("worker names have at most 64 characters");
        }
        JsonNode arguments = data.path("attributes").get("arguments");
        String message = arguments == null || arguments.isNull() ? null : arguments.toString();
        Instant now = Instant.now();
        String id = timeOrderedId(now);
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        if (writeJob) {
            tx.executeWithoutResult(s -> jdbc.sql(INSERT)
                    .param("id", id)
                    .param("domain", DOMAIN)
                    .param("worker", worker)
                    .param("message", message)
                    .param("at", at)
                    .update());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .contentType(JSON_API_TYPE)
                .body(new Document(new Resource(
                        "io.cozy.jobs", id, new Attributes(DOMAIN, worker, "queued", now.toString(), arguments))));
    }

    /** A body that is not JSON (or none). */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<?> unreadable(HttpMessageNotReadableException e) {
        return badRequest("The body is not a JSON document");
    }

    private static ResponseEntity<?> badRequest(String detail) {
        return ResponseEntity.badRequest()
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of(
                        "errors", new Object[] {Map.of("status", "400", "title", "Bad Request", "detail", detail)}));
    }

    /** 32 lowercase hex digits: the epoch millisecond in the first 12, then 80 random bits (Jobstack's Ids). */
    private static String timeOrderedId(Instant at) {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        String time = HEX.toHexDigits(at.toEpochMilli());
        return time.substring(time.length() - 12) + HEX.formatHex(bytes);
    }
}
