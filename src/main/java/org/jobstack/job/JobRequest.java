package org.jobstack.job;

/**
 * What a trigger firing, an API call or a retry asks for. JSON values ({@code message},
 * {@code event}, {@code payload}) travel as JSON text; null means absent.
 */
public record JobRequest(String domain, String worker, String triggerId, String message, String event,
                         String payload, boolean manual, boolean debounced, JobOptions options) {

    public JobRequest {
        options = options == null ? JobOptions.NONE : options;
    }

    public static JobRequest of(String domain, String worker, String message) {
        return new JobRequest(domain, worker, null, message, null, null, false, false, JobOptions.NONE);
    }
}
