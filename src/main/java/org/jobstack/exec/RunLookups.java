package org.jobstack.exec;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jobstack.app.App;
import org.jobstack.app.AppCatalog;
import org.jobstack.app.AppState;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.cluster.Signal;
import org.jobstack.common.DocumentChanged;
import org.jobstack.instance.Instance;
import org.jobstack.instance.InstanceRepository;
import org.jobstack.instance.InstanceService;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The instance and app a run needs, kept for a second: a burst of jobs for one app then costs no
 * database round trip before each spawn. A change made on this node drops the entries once
 * committed; one made on another node, as soon as its signal arrives (within {@link #TTL} without
 * signals).
 */
@Component
class RunLookups {

    static final Duration TTL = Duration.ofSeconds(1);

    private final InstanceRepository instances;
    private final AppCatalog apps;
    private final Map<String, Entry<Instance>> instanceCache = new ConcurrentHashMap<>();
    private final Map<AppKey, Entry<App>> appCache = new ConcurrentHashMap<>();

    RunLookups(InstanceRepository instances, AppCatalog apps) {
        this.instances = instances;
        this.apps = apps;
    }

    Optional<Instance> instance(String domain) {
        return cached(instanceCache, domain, () -> instances.findById(domain), i -> true);
    }

    /** Only ready apps are kept: one being installed or upgraded is looked up again next time. */
    Optional<App> app(String domain, AppKind kind, String slug) {
        return cached(
                appCache,
                new AppKey(domain, kind, slug),
                () -> apps.find(domain, kind, slug),
                a -> a.state() == AppState.READY);
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onDocumentChanged(DocumentChanged changed) {
        for (AppKind kind : AppKind.values()) {
            if (kind.doctype().equals(changed.doctype())) {
                appCache.keySet().removeIf(k -> k.domain().equals(changed.domain()) && k.kind() == kind);
            }
        }
    }

    /**
     * Drops what is kept of an app, so that the next run reads it again (its new version, say):
     * for a change made on another node, once this node hears of it.
     */
    void forgetApp(String domain, AppKind kind, String slug) {
        appCache.remove(new AppKey(domain, kind, slug));
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onInstanceChanged(InstanceService.InstanceChanged changed) {
        forget(changed.domain());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onInstanceDeleted(InstanceService.InstanceDeleted deleted) {
        forget(deleted.domain());
    }

    /** Apps or the instance changed on another node, or signals may have been missed. */
    @EventListener
    void onSignal(Signal signal) {
        switch (signal.topic()) {
            case APPS, INSTANCE -> forget(signal.subject());
            case RESYNC -> {
                instanceCache.clear();
                appCache.clear();
            }
            default -> {}
        }
    }

    private void forget(String domain) {
        instanceCache.remove(domain);
        appCache.keySet().removeIf(k -> k.domain().equals(domain));
    }

    private static <K, V> Optional<V> cached(
            Map<K, Entry<V>> cache, K key, Supplier<Optional<V>> load, Predicate<V> keep) {
        Entry<V> entry = cache.get(key);
        long now = System.nanoTime();
        if (entry != null && now - entry.loadedAt() < TTL.toNanos()) {
            return Optional.of(entry.value());
        }
        Optional<V> loaded = load.get();
        loaded.filter(keep).ifPresentOrElse(v -> cache.put(key, new Entry<>(v, now)), () -> cache.remove(key));
        return loaded;
    }

    private record AppKey(String domain, AppKind kind, String slug) {}

    private record Entry<V>(V value, long loadedAt) {}
}
