package org.jobstack.app;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jobstack.app.manifest.AppKind;
import org.springframework.data.domain.Persistable;

/**
 * An installed app or konnector of an instance: its manifest, state, services, and the stored
 * version of its files it runs ({@link AppVersionStore}), with the previous one kept for jobs that
 * started on it.
 */
@Entity
@Table(name = "app")
public class App implements Persistable<String> {

    @Id
    private String id;

    private String domain;
    private String kind;
    private String slug;
    private String state;
    private String version;
    private String source;
    /** The current version's files: an {@code app_version} row and its content hash. */
    private String versionId;

    private String versionHash;
    private String previousVersionId;
    /** Legacy: the folder of a version installed before files were kept in the database; null since. */
    private String storage;
    /** The manifest JSON as fetched, unknown fields included. */
    private String manifest;

    private String error;
    private Instant createdAt;
    private Instant updatedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "app_service", joinColumns = @JoinColumn(name = "app_id"))
    @MapKeyColumn(name = "name")
    private Map<String, AppService> services = new LinkedHashMap<>();

    @Transient
    private boolean isNew = true;

    protected App() {}

    App(
            String id,
            String domain,
            AppKind kind,
            String slug,
            AppState state,
            String version,
            String source,
            StoredVersion files,
            String manifest,
            Map<String, AppService> services,
            Instant now) {
        this.id = id;
        this.domain = domain;
        this.kind = kind.value();
        this.slug = slug;
        this.state = state.value();
        this.version = version;
        this.source = source;
        if (files != null) {
            this.versionId = files.id();
            this.versionHash = files.contentHash();
        }
        this.manifest = manifest;
        this.services.putAll(services);
        this.createdAt = now;
        this.updatedAt = now;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    /** An app not stored (yet): what progress reports show while an install or update runs. */
    static App preview(
            String domain,
            AppKind kind,
            String slug,
            AppState state,
            String version,
            String source,
            String manifest,
            Instant now) {
        return new App(null, domain, kind, slug, state, version, source, null, manifest, Map.of(), now);
    }

    /**
     * Becomes a new version: files, manifest, source and services replaced, ready to run; the
     * files it ran until now become the previous version.
     */
    void upgrade(
            String newVersion,
            String newSource,
            StoredVersion files,
            String newManifest,
            Map<String, AppService> newServices,
            Instant now) {
        this.version = newVersion;
        this.source = newSource;
        this.previousVersionId = versionId;
        this.versionId = files.id();
        this.versionHash = files.contentHash();
        this.storage = null;
        this.manifest = newManifest;
        this.services.clear();
        this.services.putAll(newServices);
        this.state = AppState.READY.value();
        this.error = null;
        this.updatedAt = now;
    }

    /** Points services at other triggers (the fixer). */
    public void relink(Map<String, AppService> newServices, Instant now) {
        this.services.clear();
        this.services.putAll(newServices);
        this.updatedAt = now;
    }

    /** Its legacy folder's files, now stored in the database: it runs them, ready. */
    void adopt(StoredVersion files, Instant now) {
        this.versionId = files.id();
        this.versionHash = files.contentHash();
        this.storage = null;
        this.state = AppState.READY.value();
        this.error = null;
        this.updatedAt = now;
    }

    /** Its files cannot be had: errored, with why, until an update brings new ones. */
    void filesMissing(String why, Instant now) {
        this.state = AppState.ERRORED.value();
        this.error = why;
        this.updatedAt = now;
    }

    /** This app as a failed install or update ends: {@code errored}, with why (never stored: both are atomic). */
    App failed(String why) {
        App copy = withState(AppState.ERRORED);
        copy.error = why;
        return copy;
    }

    App withState(AppState newState) {
        App copy = new App(id, domain, kind(), slug, newState, version, source, null, manifest, services, updatedAt);
        copy.versionId = versionId;
        copy.versionHash = versionHash;
        copy.previousVersionId = previousVersionId;
        copy.storage = storage;
        copy.createdAt = createdAt;
        return copy;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        isNew = false;
    }

    public String domain() {
        return domain;
    }

    public AppKind kind() {
        return AppKind.valueOf(kind.toUpperCase(Locale.ROOT));
    }

    public String slug() {
        return slug;
    }

    public AppState state() {
        return AppState.valueOf(state.toUpperCase(Locale.ROOT));
    }

    public String version() {
        return version;
    }

    public String source() {
        return source;
    }

    /** The id of the stored version of its files it runs; null for a legacy app not imported. */
    public String versionId() {
        return versionId;
    }

    /** The content hash of that version. */
    public String versionHash() {
        return versionHash;
    }

    /** The version it ran before its last update, kept for jobs that started on it; null if none. */
    public String previousVersionId() {
        return previousVersionId;
    }

    /** Legacy: the folder its files were copied to before they were kept in the database. */
    public Optional<Path> legacyStorage() {
        return Optional.ofNullable(storage).map(Path::of);
    }

    public String manifest() {
        return manifest;
    }

    public String error() {
        return error;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    /** Services by name, sorted. */
    public Map<String, AppService> services() {
        return new TreeMap<>(services);
    }
}
