package org.jobstack.app;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AppRepository extends JpaRepository<App, String> {

    Optional<App> findByDomainAndKindAndSlug(String domain, String kind, String slug);

    boolean existsByDomainAndKindAndSlug(String domain, String kind, String slug);

    List<App> findByDomainAndKindAndSlugGreaterThanEqualOrderBySlug(String domain, String kind, String fromSlug,
                                                                    Limit limit);

    List<App> findByDomain(String domain);
}
