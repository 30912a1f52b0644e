package org.jobstack.instance;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Base64;

/** A tenant, like a cozy instance: a domain, its locale, the URL services call back, a token secret. */
@Entity
@Table(name = "instance")
public class Instance {

    @Id
    private String domain;

    private String locale;
    private String stackUrl;

    @Column(name = "token_secret")
    @Convert(converter = TokenSecretConverter.class)
    private String tokenSecretBase64;

    private Instant createdAt;
    private Instant updatedAt;

    /**
     * See {@link InstanceService#eventRulesChanged}, the only writer after the insert: an instance
     * loaded before a trigger change and saved after it must not write back the tag it read.
     */
    @Column(updatable = false)
    private long eventRulesTag;

    protected Instance() {}

    public Instance(String domain, String locale, String stackUrl, byte[] tokenSecret, Instant now) {
        this.domain = domain;
        this.locale = locale;
        this.stackUrl = stackUrl;
        this.tokenSecretBase64 = Base64.getEncoder().encodeToString(tokenSecret);
        this.createdAt = now;
        this.updatedAt = now;
        this.eventRulesTag = InstanceService.newEventRulesTag();
    }

    public String domain() {
        return domain;
    }

    public String locale() {
        return locale;
    }

    /** The base URL services get as {@code COZY_URL}, always with a trailing slash. */
    public String stackUrl() {
        return stackUrl;
    }

    public byte[] tokenSecret() {
        return Base64.getDecoder().decode(tokenSecretBase64);
    }

    public String tokenSecretBase64() {
        return tokenSecretBase64;
    }

    /** Changes whenever one of the instance's {@code @event} triggers is created or deleted. */
    public long eventRulesTag() {
        return eventRulesTag;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    void change(String newLocale, String newStackUrl, byte[] newTokenSecret, Instant now) {
        if (newTokenSecret != null) {
            this.tokenSecretBase64 = Base64.getEncoder().encodeToString(newTokenSecret);
        }
        if (newLocale != null) {
            this.locale = newLocale;
        }
        if (newStackUrl != null) {
            this.stackUrl = newStackUrl;
        }
        this.updatedAt = now;
    }
}
