package org.jobstack.auth;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** Spring Security's view of a verified bearer token. */
class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    CallerAuthentication(Caller caller) {
        super(List.of());
        this.caller = caller;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }
}
