package org.jobstack.instance;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jobstack.cluster.Signal;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The token secrets of instances, kept in memory so that checking a token does not read (and
 * decrypt) the instance's row on every request. A secret is dropped as soon as its instance is
 * changed or deleted, on this node (events) or another (cluster signals); whatever a lost signal
 * could leave is dropped after {@link #KEPT_NANOS} anyway. A secret read while an instance changed
 * is not kept, so a rotated secret is never put back.
 */
@Component
public class SigningKeys {

    /** What verifying an instance's tokens takes. */
    public record SigningKey(String domain, byte[] secret) {}

    private record Kept(SigningKey key, long loadedAt) {}

    static final long KEPT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_KEPT = 10_000;

    private final InstanceService instances;
    private final ConcurrentHashMap<String, Kept> kept = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    public SigningKeys(InstanceService instances) {
        this.instances = instances;
    }

    /** The instance's signing key, or the not-found problem of {@link InstanceService#get}. */
    public SigningKey of(String domain) {
        Kept k = kept.get(domain);
        long now = System.nanoTime();
        if (k != null && now - k.loadedAt() < KEPT_NANOS) {
            return k.key();
        }
        long before = changes.get();
        Instance instance = instances.get(domain);
        SigningKey key = new SigningKey(instance.domain(), instance.tokenSecret());
        if (kept.size() >= MAX_KEPT) {
            kept.clear();
        }
        kept.put(domain, new Kept(key, now));
        if (changes.get() != before) {
            kept.remove(domain);
        }
        return key;
    }

    @EventListener
    void onChanged(InstanceService.InstanceChanged changed) {
        forget(changed.domain());
    }

    @EventListener
    void onDeleted(InstanceService.InstanceDeleted deleted) {
        forget(deleted.domain());
    }

    @EventListener
    void onSignal(Signal signal) {
        if (signal.topic() == Signal.Topic.INSTANCE) {
            forget(signal.subject());
        } else if (signal.topic() == Signal.Topic.RESYNC) {
            changes.incrementAndGet();
            kept.clear();
        }
    }

    private void forget(String domain) {
        changes.incrementAndGet();
        kept.remove(domain);
    }
}
