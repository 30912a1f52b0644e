package org.jobstack.web;

import java.io.IOException;

/** A request body went past its size limit while being read. */
public class BodyTooLargeException extends IOException {

    public BodyTooLargeException(long limit) {
        super("Request bodies are limited to " + limit + " bytes");
    }
}
