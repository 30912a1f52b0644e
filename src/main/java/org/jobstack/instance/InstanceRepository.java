package org.jobstack.instance;

import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface InstanceRepository extends JpaRepository<Instance, String>, InstanceLocks {

    /** A page of instances in creation order (then domain), from the start. */
    List<Instance> findAllByOrderByCreatedAtAscDomainAsc(Limit limit);

    /** A page of instances in creation order (then domain), after the given one. */
    @Query("""
            SELECT i FROM Instance i WHERE i.createdAt > :at OR (i.createdAt = :at AND i.domain > :domain)
            ORDER BY i.createdAt, i.domain""")
    List<Instance> findAfter(Instant at, String domain, Limit limit);

    @Modifying
    @Query("UPDATE Instance i SET i.eventRulesTag = :tag WHERE i.domain = :domain")
    int retagEventRules(String domain, long tag);
}
