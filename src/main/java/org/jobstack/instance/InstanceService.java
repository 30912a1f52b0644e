package org.jobstack.instance;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.jobstack.cluster.ClusterSignals;
import org.jobstack.cluster.Signal;
import org.jobstack.common.AfterCommit;
import org.jobstack.common.PageCursor;
import org.jobstack.common.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Service
public class InstanceService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(InstanceService.class);

    private final InstanceRepository instances;
    private final ApplicationEventPublisher events;
    private final ClusterSignals signals;
    private final Clock clock;

    public InstanceService(
            InstanceRepository instances, ApplicationEventPublisher events, ClusterSignals signals, Clock clock) {
        this.instances = instances;
        this.signals = signals;
        this.events = events;
        this.clock = clock;
    }

    /** The instance of a domain, or a not-found problem. */
    @Transactional(readOnly = true)
    public Instance get(String domain) {
        return instances.findById(domain).orElseThrow(() -> Problem.notFound("No instance for domain " + domain));
    }

    /**
     * Marks the instance's {@code @event} triggers as changed, in the caller's transaction (which
     * creates or deletes one): the update locks the instance's row as an event batch does, so a
     * batch reads either the rules and tag before the change or both after it, on every node.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void eventRulesChanged(String domain) {
        instances.retagEventRules(domain, newEventRulesTag());
    }

    static long newEventRulesTag() {
        return RANDOM.nextLong();
    }

    /**
     * Locks the instance's row until the caller's transaction ends, and returns its event rules
     * tag: the event batches of one instance take it first, so they never lock their triggers in
     * opposite orders. Every lock wait of the transaction ends after {@code wait} (a 503 for the
     * request).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long lockForEvents(String domain, Duration wait) {
        instances.boundLockWaits(wait);
        return instances
                .lockEventRulesTag(domain)
                .orElseThrow(() -> Problem.notFound("No instance for domain " + domain));
    }

    /** Up to {@code limit} instances in creation order, after {@code after} (created at, domain) when given. */
    public List<Instance> list(PageCursor after, int limit) {
        return after == null
                ? instances.findAllByOrderByCreatedAtAscDomainAsc(Limit.of(limit))
                : instances.pageAfter(after, limit);
    }

    /**
     * Creates an instance. {@code stackUrl} defaults to {@code http://<domain>/}; a null
     * {@code tokenSecret} is generated (64 random bytes).
     */
    @Transactional
    public Instance create(String rawDomain, String locale, String stackUrl, String tokenSecret) {
        String domain = InstanceSettings.domain(rawDomain);
        String url =
                stackUrl == null || stackUrl.isBlank() ? "http://" + domain + "/" : InstanceSettings.stackUrl(stackUrl);
        byte[] secret = tokenSecret == null || tokenSecret.isBlank()
                ? randomSecret()
                : InstanceSettings.tokenSecret(tokenSecret);
        String loc = InstanceSettings.locale(locale == null || locale.isBlank() ? "en" : locale);
        // found by its key, not existsById: that is a query, and the default instance's check at
        // start would make Hibernate set up its query parser on the start's path
        if (instances.findById(domain).isPresent()) {
            throw Problem.conflict("Instance " + domain + " already exists");
        }
        Instance created = instances.save(new Instance(domain, loc, url, secret, clock.instant()));
        log.atInfo()
                .addKeyValue("domain", domain)
                .addKeyValue("locale", loc)
                .addKeyValue("stack_url", url)
                .addKeyValue("secret_supplied", tokenSecret != null && !tokenSecret.isBlank())
                .log("Instance {} created", domain);
        return created;
    }

    /**
     * Changes what is given (null keeps the value). A new token secret invalidates every token signed
     * with the old one, services' credentials included.
     */
    @Transactional
    public Instance update(String domain, String locale, String stackUrl, String tokenSecret) {
        Instance instance = get(domain);
        instance.change(
                locale == null ? null : InstanceSettings.locale(locale),
                stackUrl == null ? null : InstanceSettings.stackUrl(stackUrl),
                tokenSecret == null ? null : InstanceSettings.tokenSecret(tokenSecret),
                clock.instant());
        AfterCommit.run(() -> {
            events.publishEvent(new InstanceChanged(domain));
            signals.broadcast(Signal.Topic.INSTANCE, domain);
        });
        log.atInfo()
                .addKeyValue("domain", domain)
                .addKeyValue("locale", instance.locale())
                .addKeyValue("stack_url", instance.stackUrl())
                .addKeyValue("secret_rotated", tokenSecret != null)
                .log("Instance {} updated", domain);
        return instance;
    }

    /** Gives the instance a new random token secret: every token signed with the old one is refused. */
    @Transactional
    public Instance rotateSecret(String domain) {
        return update(domain, null, null, Base64.getEncoder().encodeToString(randomSecret()));
    }

    /** Deletes the instance; its apps, triggers, jobs and logs go with it (foreign keys cascade). */
    @Transactional
    public void delete(String domain) {
        Instance instance = get(domain);
        instances.delete(instance);
        instances.flush();
        events.publishEvent(new InstanceDeleted(domain));
        AfterCommit.run(() -> signals.broadcast(Signal.Topic.INSTANCE, domain));
        log.atInfo().addKeyValue("domain", domain).log("Instance {} deleted", domain);
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[InstanceSettings.SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** Published when an instance's settings change, so features can drop what they cached. */
    public record InstanceChanged(String domain) {}

    /** Published after an instance is gone, so features can drop what they keep outside the database. */
    public record InstanceDeleted(String domain) {}
}
