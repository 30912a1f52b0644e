package org.jobstack.auth;

/** A bearer token that cannot be trusted; its message says why, without echoing the token. */
public class InvalidTokenException extends RuntimeException {

    public InvalidTokenException(String message) {
        super(message);
    }
}
