package org.jobstack.trigger;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A doctype an {@code @event} trigger listens to (exact, or a prefix when wildcard). */
@Embeddable
public record WatchedDoctype(
        @Column(name = "domain") String domain,
        @Column(name = "doctype") String doctype,
        @Column(name = "wildcard") boolean wildcard) {}
