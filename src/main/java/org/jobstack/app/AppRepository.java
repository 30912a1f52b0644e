package org.jobstack.app;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;

public interface AppRepository extends JpaRepository<App, String>, LegacyFolders {

    /** The app, its row locked until the transaction ends (a derived query: "Locked" only names it). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    Optional<App> findLockedById(String id);

    Optional<App> findByDomainAndKindAndSlug(String domain, String kind, String slug);

    boolean existsByDomainAndKindAndSlug(String domain, String kind, String slug);

    List<App> findByDomainAndKindAndSlugGreaterThanEqualOrderBySlug(
            String domain, String kind, String fromSlug, Limit limit);

    List<App> findByDomain(String domain);

    /** Every app of an instance with its services, in one query. */
    @EntityGraph(attributePaths = "services")
    List<App> findByDomainOrderByKindAscSlugAsc(String domain);

    /** Apps installed before files were kept in the database, not imported yet. */
    List<App> findByVersionIdIsNullAndStorageIsNotNull();
}
