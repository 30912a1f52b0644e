package org.jobstack.common;

/**
 * What went wrong, in the core's own words: a kind, a sentence for a person, and the field of
 * the input at fault, if one is. The HTTP edge maps the kind to a status code and the field to
 * the place in the request it came from; the core never speaks HTTP.
 *
 * <p>A field is a path into what the caller gave, its steps joined by {@code /}: {@code source},
 * {@code options/timeout}, {@code 2/doc/_id} (the third event's document id), or {@code ""} for
 * the whole input. Only the web edge itself names a place in a JSON:API document directly, with a
 * path that starts with {@code /}.
 */
public class Problem extends RuntimeException {

    public enum Kind {
        MALFORMED,
        INVALID,
        UNAUTHORIZED,
        FORBIDDEN,
        NOT_FOUND,
        CONFLICT,
        TOO_LARGE,
        RATE_LIMITED
    }

    private final Kind kind;
    private final String field;

    public Problem(Kind kind, String detail, String field) {
        super(detail);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    /** The field at fault, or null when the problem is about no field in particular. */
    public String field() {
        return field;
    }

    public static Problem malformed(String field, String detail) {
        return new Problem(Kind.MALFORMED, detail, field);
    }

    public static Problem invalid(String field, String detail) {
        return new Problem(Kind.INVALID, detail, field);
    }

    public static Problem tooLarge(String field, String detail) {
        return new Problem(Kind.TOO_LARGE, detail, field);
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

    public static Problem rateLimited(String detail) {
        return new Problem(Kind.RATE_LIMITED, detail, null);
    }

    /** A path into the input from its steps: {@code path("2", "doc", "_id")} is {@code 2/doc/_id}; empty steps are skipped. */
    public static String path(String... steps) {
        StringBuilder path = new StringBuilder();
        for (String step : steps) {
            if (step != null && !step.isEmpty()) {
                path.append(path.length() == 0 ? "" : "/").append(step);
            }
        }
        return path.toString();
    }
}
