package org.jobstack.trigger;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface TriggerRepository extends JpaRepository<Trigger, String>, TriggerLocks {

    Optional<Trigger> findByIdAndDomain(String id, String domain);

    List<Trigger> findByDomainOrderByCreatedAt(String domain);

    /** The triggers of an instance by worker, type and id, without loading them whole. */
    @Query("""
            select new org.jobstack.trigger.TriggerSummary(
                t.id, t.type, t.arguments, t.worker, t.debounce, t.nextRunAt, t.paused, t.message)
            from Trigger t where t.domain = :domain order by t.worker, t.type, t.id""")
    List<TriggerSummary> summaries(@Param("domain") String domain);

    /** The {@code @event} triggers of an instance watching a doctype, exactly or by a wildcard prefix. */
    @Query("""
            select distinct t from Trigger t join t.watched w
            where w.domain = :domain
              and ((w.wildcard = false and w.doctype = :doctype) or (w.wildcard = true and w.doctype in :prefixes))""")
    List<Trigger> findWatching(
            @Param("domain") String domain,
            @Param("doctype") String doctype,
            @Param("prefixes") Collection<String> prefixes);
}
