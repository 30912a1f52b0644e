package org.jobstack.trigger;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.jobstack.job.JobOptions;
import org.jobstack.job.JobRequest;
import org.springframework.data.domain.Persistable;

/** A persisted trigger: what fires ({@code type} + {@code arguments}) and the job it makes. */
@Entity
@Table(name = "job_trigger")
public class Trigger implements Persistable<String> {

    @Id
    private String id;

    private String domain;
    private String type;
    private String worker;
    private String arguments;
    private String debounce;
    private Integer maxExecCount;
    private Long timeoutMs;
    /** JSON text, null when the trigger has no message. */
    private String message;

    private String createdBy;
    private Instant nextRunAt;
    /** Paused by an operator: no job from events, webhooks or the schedule; a launch still makes one. */
    private boolean paused;

    private Instant createdAt;
    private Instant updatedAt;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "trigger_doctype", joinColumns = @JoinColumn(name = "trigger_id"))
    private Set<WatchedDoctype> watched = new HashSet<>();

    @Transient
    private boolean isNew = true;

    protected Trigger() {}

    Trigger(
            String id,
            String domain,
            TriggerType type,
            String worker,
            String arguments,
            String debounce,
            JobOptions options,
            String message,
            String createdBy,
            Instant now) {
        this.id = id;
        this.domain = domain;
        this.type = type.written();
        this.worker = worker;
        this.arguments = arguments;
        this.debounce = debounce;
        this.maxExecCount = options.maxExecCount();
        this.timeoutMs = options.timeout() == null ? null : options.timeout().toMillis();
        this.message = message;
        this.createdBy = createdBy;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** A trigger as stored, read without JPA ({@link TriggerLocks#readPlain}): not new, no watched doctypes. */
    static Trigger read(
            String id,
            String domain,
            String type,
            String worker,
            String arguments,
            String debounce,
            Integer maxExecCount,
            Long timeoutMs,
            String message,
            String createdBy,
            Instant nextRunAt,
            boolean paused,
            Instant createdAt,
            Instant updatedAt) {
        Trigger t = new Trigger();
        t.id = id;
        t.domain = domain;
        t.type = type;
        t.worker = worker;
        t.arguments = arguments;
        t.debounce = debounce;
        t.maxExecCount = maxExecCount;
        t.timeoutMs = timeoutMs;
        t.message = message;
        t.createdBy = createdBy;
        t.nextRunAt = nextRunAt;
        t.paused = paused;
        t.createdAt = createdAt;
        t.updatedAt = updatedAt;
        t.isNew = false;
        return t;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        isNew = false;
    }

    public String id() {
        return id;
    }

    public String domain() {
        return domain;
    }

    public TriggerType type() {
        return TriggerType.of(type).orElseThrow();
    }

    public String worker() {
        return worker;
    }

    public String arguments() {
        return arguments;
    }

    public String debounce() {
        return debounce;
    }

    /** A job of this trigger, as every occurrence makes it: its instance, worker, message and options. */
    public JobRequest.Builder jobRequest() {
        return JobRequest.to(domain, worker).trigger(id).message(message).options(options());
    }

    public JobOptions options() {
        return new JobOptions(maxExecCount, timeoutMs == null ? null : Duration.ofMillis(timeoutMs));
    }

    public String message() {
        return message;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant nextRunAt() {
        return nextRunAt;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    void watch(Set<WatchedDoctype> doctypes) {
        watched.clear();
        watched.addAll(doctypes);
    }

    public boolean paused() {
        return paused;
    }

    void pause(boolean pause, Instant now) {
        this.paused = pause;
        this.updatedAt = now;
    }

    void scheduleAt(Instant next) {
        this.nextRunAt = next;
    }

    void changeMessage(String newMessage, Instant now) {
        this.message = newMessage;
        this.updatedAt = now;
    }

    void changeArguments(String newArguments, Instant now) {
        this.arguments = newArguments;
        this.updatedAt = now;
    }
}
