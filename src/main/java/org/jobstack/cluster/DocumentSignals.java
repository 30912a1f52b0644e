package org.jobstack.cluster;

import java.util.Map;
import org.jobstack.common.DocumentChanged;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Tells the other nodes, once committed, that triggers or apps of an instance changed, so that
 * what they keep of them (the watchers of Jobstack's own doctypes, the apps a run looks up) is
 * read again at once.
 */
@Component
class DocumentSignals {

    private static final Map<String, Signal.Topic> TOPICS = Map.of(
            "io.cozy.triggers", Signal.Topic.TRIGGERS,
            "io.cozy.apps", Signal.Topic.APPS,
            "io.cozy.konnectors", Signal.Topic.APPS);

    private final ClusterSignals signals;

    DocumentSignals(ClusterSignals signals) {
        this.signals = signals;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onDocumentChanged(DocumentChanged changed) {
        Signal.Topic topic = TOPICS.get(changed.doctype());
        if (topic != null) {
            signals.broadcast(topic, changed.domain());
        }
    }
}
