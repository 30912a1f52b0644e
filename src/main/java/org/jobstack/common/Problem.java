package org.jobstack.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What went wrong with a request, in the core's own words. The HTTP edge maps each kind to a
 * status code; the core never speaks HTTP.
 */
public class Problem extends RuntimeException {

    public enum Kind { MALFORMED, INVALID, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_LARGE, RATE_LIMITED }

    /** Where in the request the problem lies: a query parameter or a JSON:API attribute pointer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String parameter, String pointer) {
        public static Source parameter(String name) {
            return new Source(name, null);
        }

        public static Source attribute(String name) {
            return new Source(null, "/data/attributes/" + name);
        }

        public static Source pointer(String pointer) {
            return new Source(null, pointer);
        }
    }

    private final Kind kind;
    private final Source source;

    public Problem(Kind kind, String detail, Source source) {
        super(detail);
        this.kind = kind;
        this.source = source;
    }

    public Kind kind() {
        return kind;
    }

    public Source source() {
        return source;
    }

    public static Problem malformed(Source source, String detail) {
        return new Problem(Kind.MALFORMED, detail, source);
    }

    public static Problem invalid(Source source, String detail) {
        return new Problem(Kind.INVALID, detail, source);
    }

    public static Problem notFound(String detail) {
        return new Problem(Kind.NOT_FOUND, detail, null);
    }

    public static Problem conflict(String detail) {
        return new Problem(Kind.CONFLICT, detail, null);
    }

    public static Problem forbidden(String detail) {
        return new Problem(Kind.FORBIDDEN, detail, null);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(Kind.UNAUTHORIZED, detail, null);
    }

    public static Problem tooLarge(Source source, String detail) {
        return new Problem(Kind.TOO_LARGE, detail, source);
    }

    public static Problem rateLimited(String detail) {
        return new Problem(Kind.RATE_LIMITED, detail, null);
    }

    /** Same problem, pointing at another place (e.g. a parser's error re-targeted at its field). */
    public Problem at(Source newSource) {
        return new Problem(kind, getMessage(), newSource);
    }
}
