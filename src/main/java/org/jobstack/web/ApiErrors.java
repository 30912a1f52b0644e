package org.jobstack.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jobstack.common.Problem;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** JSON:API error documents: {@code {"errors":[{"status","title","detail","source"}]}}. */
public final class ApiErrors {

    private ApiErrors() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String status, String title, String detail, ErrorSource source) {}

    public record Body(List<Error> errors) {}

    public static Body body(HttpStatus status, String detail, ErrorSource source) {
        return new Body(List.of(new Error(String.valueOf(status.value()), status.getReasonPhrase(), detail, source)));
    }

    public static ResponseEntity<Body> response(HttpStatus status, String detail, ErrorSource source) {
        return ResponseEntity.status(status).contentType(JsonApi.MEDIA_TYPE).body(body(status, detail, source));
    }

    public static HttpStatus statusOf(Problem.Kind kind) {
        return switch (kind) {
            case MALFORMED -> HttpStatus.BAD_REQUEST;
            case INVALID -> HttpStatus.UNPROCESSABLE_CONTENT;
            case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
        };
    }
}
