package org.jobstack.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link StartupRefusal}, wherever it was thrown from during start-up, into its own words. */
class StartupRefusalAnalyzer extends AbstractFailureAnalyzer<StartupRefusal> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartupRefusal cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
