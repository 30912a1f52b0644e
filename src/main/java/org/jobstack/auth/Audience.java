package org.jobstack.auth;

import java.util.Arrays;
import java.util.Optional;

/** Token audiences as the stack names them. */
public enum Audience {
    CLI("cli"),
    APP("app"),
    KONNECTOR("konn");

    private final String claim;

    Audience(String claim) {
        this.claim = claim;
    }

    public String claim() {
        return claim;
    }

    public static Optional<Audience> fromClaim(String claim) {
        return Arrays.stream(values()).filter(a -> a.claim.equals(claim)).findFirst();
    }
}
