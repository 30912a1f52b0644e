package org.jobstack.floor;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An instance and its secret: there so that Hibernate and Spring Data boot as in Jobstack; never queried. */
@Entity
@Table(name = "instance")
public class Instance {

    @Id
    @Column(name = "domain", length = 253)
    private String domain;

    @Column(name = "secret", nullable = false)
    private String secret;

    protected Instance() {}

    public Instance(String domain, String secret) {
        this.domain = domain;
        this.secret = secret;
    }

    public String getDomain() {
        return domain;
    }

    public String getSecret() {
        return secret;
    }
}
