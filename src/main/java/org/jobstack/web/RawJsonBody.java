package org.jobstack.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a handler whose body is plain JSON rather than a JSON:API document (events, webhook
 * payloads): the fields of its errors point into the body as sent, not into {@code data.attributes}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RawJsonBody {}
