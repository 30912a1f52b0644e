package org.jobstack.trigger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface TriggerRepository extends JpaRepository<Trigger, String>, TriggerLocks {

    Optional<Trigger> findByIdAndDomain(String id, String domain);

    List<Trigger> findByDomainOrderByCreatedAt(String domain);

    /** A page of an instance's triggers in creation order (then id), without loading them whole. */
    @Query("""
            select new org.jobstack.trigger.TriggerSummary(
                t.id, t.type, t.arguments, t.worker, t.debounce, t.nextRunAt, t.paused, t.message, t.createdAt)
            from Trigger t where t.domain = :domain order by t.createdAt, t.id""")
    List<TriggerSummary> summaries(@Param("domain") String domain, Limit limit);

    /** The page of an instance's triggers after the one created at {@code at} with id {@code id}. */
    @Query("""
            select new org.jobstack.trigger.TriggerSummary(
                t.id, t.type, t.arguments, t.worker, t.debounce, t.nextRunAt, t.paused, t.message, t.createdAt)
            from Trigger t where t.domain = :domain and (t.createdAt > :at or (t.createdAt = :at and t.id > :id))
            order by t.createdAt, t.id""")
    List<TriggerSummary> summariesAfter(
            @Param("domain") String domain, @Param("at") Instant at, @Param("id") String id, Limit limit);
}
