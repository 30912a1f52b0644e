package org.jobstack.instance;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

public interface InstanceRepository extends JpaRepository<Instance, String>, InstanceLocks {

    /** A page of instances in creation order (then domain), from the start. */
    List<Instance> findAllByOrderByCreatedAtAscDomainAsc(Limit limit);
}
