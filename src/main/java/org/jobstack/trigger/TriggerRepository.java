package org.jobstack.trigger;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface TriggerRepository extends JpaRepository<Trigger, String>, TriggerLocks {

    Optional<Trigger> findByIdAndDomain(String id, String domain);

    List<Trigger> findByDomainOrderByCreatedAt(String domain);
}
