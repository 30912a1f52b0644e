package org.jobstack.config;

/**
 * A setting or a file that keeps the server from starting safely. Its message is one line for the
 * operator, naming what is wrong and the fix; {@link StartupRefusalAnalyzer} prints it without a
 * stack trace.
 */
public class StartupRefusal extends RuntimeException {

    private final String action;

    public StartupRefusal(String message, String action) {
        super(message);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
