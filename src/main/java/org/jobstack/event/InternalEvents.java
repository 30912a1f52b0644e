package org.jobstack.event;

import java.util.List;
import org.jobstack.cluster.Signal;
import org.jobstack.common.DocumentChanged;
import org.jobstack.common.LockConflicts;
import org.jobstack.job.JobChanges;
import org.jobstack.job.JobDocuments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.node.ObjectNode;

/**
 * Feeds Jobstack's own writes (jobs, triggers, apps) to {@code @event} triggers, once they are
 * committed, as the stack's realtime hub does for its CouchDB writes. Best effort: a failure here
 * never undoes the write.
 */
@Component
class InternalEvents {

    private static final Logger log = LoggerFactory.getLogger(InternalEvents.class);

    private final InternalWatchers watchers;
    private final EventDispatcher dispatcher;
    private final JobDocuments jobDocuments;

    InternalEvents(InternalWatchers watchers, EventDispatcher dispatcher, JobDocuments jobDocuments) {
        this.watchers = watchers;
        this.dispatcher = dispatcher;
        this.jobDocuments = jobDocuments;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onJobChanged(JobChanges.JobChanged changed) {
        if (changed.deleted() || !watchers.watches(changed.domain(), "io.cozy.jobs")) {
            return;
        }
        ObjectNode doc = jobDocuments.attributes(changed.job());
        ObjectNode old = null;
        if (changed.previous() != null) {
            old = doc.deepCopy();
            old.put("state", changed.previous().value());
        }
        dispatch(
                changed.domain(),
                new DocumentEvent(changed.previous() == null ? "CREATED" : "UPDATED", "io.cozy.jobs", doc, old));
    }

    /** Triggers changed on another node, or signals may have been missed: read the watchers again. */
    @EventListener
    void onSignal(Signal signal) {
        if (signal.topic() == Signal.Topic.TRIGGERS || signal.topic() == Signal.Topic.RESYNC) {
            watchers.invalidate();
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onDocumentChanged(DocumentChanged changed) {
        if (changed.doctype().equals("io.cozy.triggers")) {
            watchers.invalidate();
        }
        if (watchers.watches(changed.domain(), changed.doctype())) {
            dispatch(
                    changed.domain(),
                    new DocumentEvent(changed.verb(), changed.doctype(), changed.doc(), changed.old()));
        }
    }

    private void dispatch(String domain, DocumentEvent event) {
        try {
            LockConflicts.retry(
                    AdminEventController.DISPATCH_ATTEMPTS, () -> dispatcher.dispatchInternal(domain, List.of(event)));
        } catch (RuntimeException e) {
            log.atWarn()
                    .addKeyValue("domain", domain)
                    .addKeyValue("doctype", event.doctype())
                    .setCause(e)
                    .log("Internal event not dispatched");
        }
    }
}
