package org.jobstack.web;

import org.jobstack.common.DatabaseFailures;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * A request failed because the database cannot be reached or cannot write ({@link
 * DatabaseFailures#unavailable}): the client gets 503 and a hint to try again, not a 500.
 */
final class DatabaseUnavailable {

    static final String DETAIL = "The database is unavailable; try again in a few seconds";
    static final String CANNOT_WRITE =
            "The database cannot write to its disk (full or not writable); nothing was stored; try again later";
    static final String BUSY =
            "Conflicting writes kept this request from completing; nothing was stored, send it again";
    private static final String RETRY_AFTER_SECONDS = "5";

    private DatabaseUnavailable() {}

    static ResponseEntity<ApiErrors.Body> response(Throwable failure) {
        return unavailable(DatabaseFailures.cannotWrite(failure) ? CANNOT_WRITE : DETAIL, RETRY_AFTER_SECONDS);
    }

    /** Lock conflicts that outlasted their retries: nothing was written, the same request may be sent again. */
    static ResponseEntity<ApiErrors.Body> busy() {
        return unavailable(BUSY, "1");
    }

    private static ResponseEntity<ApiErrors.Body> unavailable(String detail, String retryAfterSeconds) {
        ResponseEntity<ApiErrors.Body> body = ApiErrors.response(HttpStatus.SERVICE_UNAVAILABLE, detail, null);
        return ResponseEntity.status(body.getStatusCode())
                .headers(body.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(body.getBody());
    }
}
