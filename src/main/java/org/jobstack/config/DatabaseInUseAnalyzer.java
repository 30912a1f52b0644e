package org.jobstack.config;

import java.sql.SQLException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A second server started on a data directory in use: H2 refuses to open its file a second time
 * (error 90020). Said in one line instead of H2's lock message under a page of stack trace.
 */
class DatabaseInUseAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    /** H2's {@code DATABASE_ALREADY_OPEN_1}. */
    static final int H2_DATABASE_ALREADY_OPEN = 90020;

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        if (cause.getErrorCode() != H2_DATABASE_ALREADY_OPEN) {
            return null;
        }
        return new FailureAnalysis(
                "The database is in use by another process, most likely another Jobstack server on the same data"
                        + " directory ("
                        + cause.getMessage().lines().findFirst().orElse("") + ").",
                "Stop the other server, or give this one a data directory of its own (--jobstack.data-dir). Several"
                        + " nodes share one database through PostgreSQL, not one H2 file (README, Several nodes).",
                cause);
    }
}
