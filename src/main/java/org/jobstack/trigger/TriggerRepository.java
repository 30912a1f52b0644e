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
