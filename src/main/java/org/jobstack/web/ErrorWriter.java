package org.jobstack.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jobstack.common.Problem;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes JSON:API errors from filters, where no controller advice applies. */
@Component
public class ErrorWriter {

    private final JsonMapper json;

    public ErrorWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        write(response, status, detail, null);
    }

    public void write(HttpServletResponse response, Problem problem) throws IOException {
        write(
                response,
                ApiErrors.statusOf(problem.kind()),
                problem.getMessage(),
                ProblemSources.of(problem.field(), null));
    }

    private void write(HttpServletResponse response, HttpStatus status, String detail, ErrorSource source)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(JsonApi.MEDIA_TYPE_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), ApiErrors.body(status, detail, source));
    }
}
