package org.jobstack.app;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AppRepository extends JpaRepository<App, String> {

    @org.springframework.data.jpa.repository.Lock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
    @org.springframework.data.jpa.repository.Query("select a from App a where a.id = :id")
    Optional<App> findLockedById(@org.springframework.data.repository.query.Param("id") String id);

    Optional<App> findByDomainAndKindAndSlug(String domain, String kind, String slug);

    boolean existsByDomainAndKindAndSlug(String domain, String kind, String slug);

    List<App> findByDomainAndKindAndSlugGreaterThanEqualOrderBySlug(String domain, String kind, String fromSlug,
                                                                    Limit limit);

    List<App> findByDomain(String domain);

    List<App> findByDomainOrderByKindAscSlugAsc(String domain);
}
