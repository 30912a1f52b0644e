package org.jobstack.job;

/**
 * What a trigger firing, an API call or a retry asks for. JSON values ({@code message},
 * {@code event}, {@code payload}) travel as JSON text; null means absent. Built with
 * {@link #to(String, String)}: only the domain and the worker are required.
 */
public record JobRequest(
        String domain,
        String worker,
        String triggerId,
        String message,
        String event,
        String payload,
        boolean manual,
        boolean debounced,
        JobOptions options) {

    public JobRequest {
        options = options == null ? JobOptions.NONE : options;
    }

    /** A job of {@code worker} for the instance {@code domain}, with its {@code message}. */
    public static JobRequest of(String domain, String worker, String message) {
        return to(domain, worker).message(message).build();
    }

    public static Builder to(String domain, String worker) {
        return new Builder(domain, worker);
    }

    public static final class Builder {
        private final String domain;
        private final String worker;
        private String triggerId;
        private String message;
        private String event;
        private String payload;
        private boolean manual;
        private boolean debounced;
        private JobOptions options = JobOptions.NONE;

        private Builder(String domain, String worker) {
            this.domain = domain;
            this.worker = worker;
        }

        /** The trigger that made the job. */
        public Builder trigger(String id) {
            this.triggerId = id;
            return this;
        }

        public Builder message(String json) {
            this.message = json;
            return this;
        }

        /** The document event that fired the trigger. */
        public Builder event(String json) {
            this.event = json;
            return this;
        }

        /** A webhook's body, or the payloads of a debounce window. */
        public Builder payload(String json) {
            this.payload = json;
            return this;
        }

        /** Launched by a person rather than by an event or a schedule. */
        public Builder manual(boolean isManual) {
            this.manual = isManual;
            return this;
        }

        /** Made by the close of a debounce window. */
        public Builder debounced(boolean isDebounced) {
            this.debounced = isDebounced;
            return this;
        }

        public Builder options(JobOptions jobOptions) {
            this.options = jobOptions;
            return this;
        }

        public JobRequest build() {
            return new JobRequest(domain, worker, triggerId, message, event, payload, manual, debounced, options);
        }
    }
}
