package org.jobstack.instance;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface InstanceRepository extends JpaRepository<Instance, String> {

    List<Instance> findAllByOrderByDomain();
}
