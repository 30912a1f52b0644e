package org.jobstack.web;

import org.jobstack.common.DatabaseFailures;
import org.jobstack.common.LockConflicts;
import org.jobstack.common.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every failure into a JSON:API error document; nothing reaches a client as a stack trace. */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(Problem.class)
    ResponseEntity<ApiErrors.Body> problem(Problem problem, HandlerMethod handler) {
        return ApiErrors.response(
                ApiErrors.statusOf(problem.kind()), problem.getMessage(), ProblemSources.of(problem.field(), handler));
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ApiErrors.Body> tooLarge(BodyTooLargeException e) {
        return ApiErrors.response(HttpStatus.CONTENT_TOO_LARGE, e.getMessage(), null);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiErrors.Body> unreadable(HttpMessageNotReadableException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return tooLarge(tooLarge);
            }
        }
        return ApiErrors.response(
                HttpStatus.BAD_REQUEST, "The request body is not valid JSON", ErrorSource.pointer("/"));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiErrors.Body> missingParameter(MissingServletRequestParameterException e) {
        return ApiErrors.response(
                HttpStatus.BAD_REQUEST,
                "Missing parameter " + e.getParameterName(),
                ErrorSource.parameter(e.getParameterName()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiErrors.Body> typeMismatch(MethodArgumentTypeMismatchException e) {
        return ApiErrors.response(
                HttpStatus.BAD_REQUEST, "Invalid value for " + e.getName(), ErrorSource.parameter(e.getName()));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiErrors.Body> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        return ApiErrors.response(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/vnd.api+json or application/json",
                null);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiErrors.Body> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return ApiErrors.response(HttpStatus.NOT_ACCEPTABLE, "Only JSON responses are available", null);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiErrors.Body> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        return ApiErrors.response(
                HttpStatus.METHOD_NOT_ALLOWED, "Method " + e.getMethod() + " is not allowed here", null);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiErrors.Body> noRoute(NoResourceFoundException e) {
        return ApiErrors.response(HttpStatus.NOT_FOUND, "No route for " + e.getResourcePath(), null);
    }

    /** A client that left (a closed page, a dropped stream): nothing to answer, nothing wrong here. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientLeft(Exception e) {
        log.atDebug().setCause(e).log("Client left before the answer was written");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiErrors.Body> unexpected(Exception e) {
        if (DatabaseFailures.unavailable(e)) {
            log.atWarn().log("Request refused with 503, the database is unavailable: {}", e.getMessage());
            return DatabaseUnavailable.response(e);
        }
        if (LockConflicts.causedBy(e)) {
            log.atWarn().log("Request refused with 503 after lock conflicts: {}", e.getMessage());
            return DatabaseUnavailable.busy();
        }
        log.error("Unexpected error while handling a request", e);
        return ApiErrors.response(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error; see the server log", null);
    }
}
