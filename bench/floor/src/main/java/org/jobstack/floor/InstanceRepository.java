package org.jobstack.floor;

import org.springframework.data.jpa.repository.JpaRepository;

/** The Spring Data repository of {@link Instance}: booted, never called. */
interface InstanceRepository extends JpaRepository<Instance, String> {}
