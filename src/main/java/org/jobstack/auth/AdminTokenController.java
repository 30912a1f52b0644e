package org.jobstack.auth;

import java.time.Duration;
import java.util.Locale;
import org.jobstack.common.GoDuration;
import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.jobstack.instance.Instance;
import org.jobstack.instance.InstanceService;
import org.jobstack.permission.InvalidRuleException;
import org.jobstack.permission.PermissionSet;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Admin API: {@code POST /instances/token} answers a raw JWT, as the stack's admin API does. */
@RestController
class AdminTokenController {

    static final Duration MAX_TTL = Duration.ofDays(30);

    private final InstanceService instances;
    private final TokenService tokens;
    private final Duration defaultTtl;

    AdminTokenController(InstanceService instances, TokenService tokens, JobstackProperties properties) {
        this.instances = instances;
        this.tokens = tokens;
        this.defaultTtl = properties.instances().cliTokenTtl();
    }

    @PostMapping(value = "/instances/token", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> token(
            @RequestParam(name = "Domain", required = false) String domain,
            @RequestParam(name = "Subject", required = false) String subject,
            @RequestParam(name = "Audience", required = false) String audience,
            @RequestParam(name = "Scope", required = false) String scope,
            @RequestParam(name = "Expire", required = false) String expire) {
        if (domain == null || domain.isBlank()) {
            throw Problem.malformed("domain", "Domain is required");
        }
        Instance instance = instances.get(domain.strip().toLowerCase(Locale.ROOT));
        Audience aud = Audience.fromClaim(audience == null ? "" : audience)
                .orElseThrow(() -> Problem.invalid("audience", "Audience must be cli, app or konn"));
        if (subject == null || subject.isBlank() || subject.length() > 255) {
            throw Problem.malformed("subject", "Subject is required (at most 255 characters)");
        }
        try {
            PermissionSet.parse(scope);
        } catch (InvalidRuleException e) {
            throw Problem.invalid("scope", "Invalid scope: " + e.getMessage());
        }
        Duration ttl = ttl(expire);
        String jwt = tokens.mint(instance.domain(), instance.tokenSecret(), aud, subject.strip(), scope, ttl);
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(jwt);
    }

    private Duration ttl(String expire) {
        if (expire == null || expire.isBlank()) {
            return defaultTtl;
        }
        try {
            Duration ttl = GoDuration.parse(expire.strip());
            if (ttl.compareTo(Duration.ZERO) <= 0 || ttl.compareTo(MAX_TTL) > 0) {
                throw new IllegalArgumentException("must be positive and at most 720h");
            }
            return ttl;
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("expire", "Invalid Expire: " + e.getMessage());
        }
    }
}
