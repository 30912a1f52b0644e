package org.jobstack.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Where in a request an error lies, as JSON:API says it: a query parameter or a JSON pointer into the body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorSource(String parameter, String pointer) {

    public static ErrorSource parameter(String name) {
        return new ErrorSource(name, null);
    }

    public static ErrorSource pointer(String pointer) {
        return new ErrorSource(null, pointer);
    }
}
