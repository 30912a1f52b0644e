package org.jobstack.web;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;

/**
 * Maps the field of a domain problem to the place of the request it came from: the handler's
 * query parameter of that name (any case), else a pointer into its body (into
 * {@code data.attributes} unless the handler takes {@link RawJsonBody raw JSON}); a field that
 * already is a pointer (it starts with {@code /}) is kept.
 */
final class ProblemSources {

    private static final String ATTRIBUTES = "/data/attributes";

    private ProblemSources() {}

    static ErrorSource of(String field, HandlerMethod handler) {
        if (field == null) {
            return null;
        }
        if (field.startsWith("/")) {
            return ErrorSource.pointer(field);
        }
        if (handler != null) {
            boolean body = false;
            for (MethodParameter parameter : handler.getMethodParameters()) {
                String name = requestParamName(parameter);
                if (name != null && name.equalsIgnoreCase(field)) {
                    return ErrorSource.parameter(name);
                }
                body |= parameter.hasParameterAnnotation(RequestBody.class);
            }
            if (body) {
                String root = handler.hasMethodAnnotation(RawJsonBody.class) ? "" : ATTRIBUTES;
                return ErrorSource.pointer(field.isEmpty() ? (root.isEmpty() ? "/" : root) : root + "/" + field);
            }
        }
        return ErrorSource.parameter(field);
    }

    private static String requestParamName(MethodParameter parameter) {
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param == null) {
            return null;
        }
        return !param.name().isEmpty() ? param.name() : parameter.getParameterName();
    }
}
