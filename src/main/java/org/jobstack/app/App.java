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
import java.util.TreeMap;
import org.jobstack.app.manifest.AppKind;
import org.springframework.data.domain.Persistable;

/** An installed app or konnector of an instance: its manifest, state, files and services. */
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
            Path storage,
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
        this.storage = storage.toString();
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
        return new App(null, domain, kind, slug, state, version, source, Path.of(""), manifest, Map.of(), now);
    }

    /** Becomes a new version: files, manifest, source and services replaced, ready to run. */
    void upgrade(
            String newVersion,
            String newSource,
            Path newStorage,
            String newManifest,
            Map<String, AppService> newServices,
            Instant now) {
        this.version = newVersion;
        this.source = newSource;
        this.storage = newStorage.toString();
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

    /** The same app in another state, for a progress report. */
    /** This app as a failed install or update ends: {@code errored}, with why (never stored: both are atomic). */
    App failed(String why) {
        App copy = withState(AppState.ERRORED);
        copy.error = why;
        return copy;
    }

    App withState(AppState newState) {
        App copy =
                new App(id, domain, kind(), slug, newState, version, source, storage(), manifest, services, updatedAt);
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

    /** The folder holding this version's files. */
    public Path storage() {
        return Path.of(storage);
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
