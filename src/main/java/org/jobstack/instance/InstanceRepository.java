package org.jobstack.instance;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface InstanceRepository extends JpaRepository<Instance, String> {

    List<Instance> findAllByOrderByDomain();

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("SELECT i FROM Instance i WHERE i.domain = :domain")
    Optional<Instance> findForUpdate(String domain);
}
