package org.jobstack.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobstack.support.Api;
import org.jobstack.support.Jobs;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A victim instance with something of everything (apps, a konnector, triggers, a finished job and
 * its logs), a second instance, tokens good and bad, the table of instance routes, and a snapshot
 * of everything stored for an instance, to prove that refused requests changed nothing.
 */
final class SecurityFixture {

    static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();
    static final Path KPROBE = Path.of("src/test/resources/konnectors/kprobe").toAbsolutePath();
    static final String FULL_SCOPE = "io.cozy.apps io.cozy.konnectors io.cozy.jobs io.cozy.triggers";

    final Api api;
    final String domain;
    final String other;
    final String cli;
    final String otherCli;
    final byte[] secret;
    final String job;
    final String trigger;
    final String webhook;

    /** An instance route: method, path, and a valid body where it takes one. */
    record Route(String method, String path, String body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    SecurityFixture(Api api) {
        this.api = api;
        this.domain = api.newInstance(null);
        this.other = api.newInstance(null);
        this.cli = api.cliToken(domain, FULL_SCOPE);
        this.otherCli = api.cliToken(other, FULL_SCOPE);
        this.secret = api.tokenSecret(domain);
        expect(
                202,
                api.call(
                        domain,
                        cli,
                        "POST",
                        "/apps/probe?Source=" + Api.enc(PROBE.toUri().toString()),
                        null));
        expect(
                202,
                api.call(
                        domain,
                        cli,
                        "POST",
                        "/konnectors/kprobe?Source=" + Api.enc(KPROBE.toUri().toString()),
                        null));
        this.trigger = expect(201, api.call(domain, cli, "POST", "/jobs/triggers", triggerBody("@cron", "0 0 0 1 1 *")))
                .json()
                .path("data")
                .path("id")
                .asString();
        this.webhook = expect(201, api.call(domain, cli, "POST", "/jobs/triggers", triggerBody("@webhook", "")))
                .json()
                .path("data")
                .path("id")
                .asString();
        this.job = expect(
                        202,
                        api.call(
                                domain,
                                cli,
                                "POST",
                                "/jobs/queue/log",
                                "{\"data\":{\"attributes\":{\"arguments\":{\"message\":\"hello\"}}}}"))
                .json()
                .path("data")
                .path("id")
                .asString();
        assertThat(Jobs.awaitFinal(api, domain, cli, job).path("state").asString())
                .isEqualTo("done");
    }

    static String triggerBody(String type, String arguments) {
        return "{\"data\":{\"attributes\":{\"type\":\"" + type + "\",\"arguments\":\"" + arguments
                + "\",\"worker\":\"log\",\"message\":{\"message\":\"tick\"}}}}";
    }

    /** Every route of the instance API, webhooks aside. */
    List<Route> routes() {
        String source = Api.enc(PROBE.toUri().toString());
        String ksource = Api.enc(KPROBE.toUri().toString());
        return List.of(
                new Route("POST", "/apps/probe?Source=" + source, null),
                new Route("GET", "/apps/probe", null),
                new Route("GET", "/apps/", null),
                new Route("POST", "/konnectors/kprobe?Source=" + ksource, null),
                new Route("GET", "/konnectors/kprobe", null),
                new Route("GET", "/konnectors/", null),
                new Route("POST", "/jobs/queue/log", "{\"data\":{\"attributes\":{\"arguments\":{\"message\":\"x\"}}}}"),
                new Route("GET", "/jobs/queue/log", null),
                new Route("GET", "/jobs/" + job, null),
                new Route("PATCH", "/jobs/" + job, "{\"data\":{\"attributes\":{\"state\":\"done\"}}}"),
                new Route("GET", "/jobs/" + job + "/logs", null),
                new Route("GET", "/jobs/" + job + "/logs?follow=true", null),
                new Route("POST", "/jobs/" + job + "/cancel", null),
                new Route("DELETE", "/jobs/purge?duration=1D", null),
                new Route("POST", "/jobs/clean", null),
                new Route("POST", "/jobs/triggers", triggerBody("@cron", "0 0 0 1 2 *")),
                new Route("GET", "/jobs/triggers", null),
                new Route("GET", "/jobs/triggers/" + trigger, null),
                new Route("GET", "/jobs/triggers/" + trigger + "/state", null),
                new Route("GET", "/jobs/triggers/" + trigger + "/jobs", null),
                new Route(
                        "PATCH",
                        "/jobs/triggers/" + trigger,
                        "{\"data\":{\"attributes\":{\"arguments\":\"0 0 0 2 1 *\"}}}"),
                new Route("POST", "/jobs/triggers/" + trigger + "/launch", null),
                new Route("DELETE", "/jobs/triggers/" + trigger, null));
    }

    /** Tokens that must get 401 at the victim instance, by what is wrong with them. */
    Map<String, String> badTokens() {
        Instant now = Instant.now();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("garbage", "garbage");
        tokens.put("empty", "");
        tokens.put("another instance's token", otherCli);
        tokens.put(
                "expired",
                forge(JWSAlgorithm.HS512, secret, domain, "cli", now.minusSeconds(7200), now.minusSeconds(3600)));
        tokens.put(
                "signed with another secret",
                forge(JWSAlgorithm.HS512, new byte[64], domain, "cli", now, now.plusSeconds(600)));
        tokens.put(
                "HS256 with the right secret",
                forge(JWSAlgorithm.HS256, secret, domain, "cli", now, now.plusSeconds(600)));
        tokens.put("alg none", new PlainJWT(claims(domain, "cli", now, now.plusSeconds(600))).serialize());
        tokens.put(
                "issued for another domain",
                forge(JWSAlgorithm.HS512, secret, other, "cli", now, now.plusSeconds(600)));
        tokens.put("unknown audience", forge(JWSAlgorithm.HS512, secret, domain, "admin", now, now.plusSeconds(600)));
        tokens.put(
                "app token of an app not installed",
                forge(JWSAlgorithm.HS512, secret, domain, "app", now, now.plusSeconds(600)));
        tokens.put("tampered payload", tamper(api.cliToken(domain, "io.cozy.files")));
        tokens.put("oversized", "a".repeat(6_000));
        return tokens;
    }

    /** Valid tokens of the victim instance that lack the permission of every route. */
    Map<String, String> weakTokens() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("CLI token for io.cozy.files", api.cliToken(domain, "io.cozy.files"));
        tokens.put("app token of probe (io.cozy.probes)", api.token(domain, "app", "probe", null));
        tokens.put("konnector token of kprobe (io.cozy.files)", api.token(domain, "konn", "kprobe", null));
        tokens.put("CLI token for GET io.cozy.notes", api.cliToken(domain, "io.cozy.notes:GET"));
        return tokens;
    }

    private static JWTClaimsSet claims(String issuer, String audience, Instant issued, Instant expires) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(audience.equals("app") ? "ghost" : "CLI")
                .issueTime(Date.from(issued))
                .expirationTime(Date.from(expires))
                .claim("scope", FULL_SCOPE)
                .build();
    }

    private static String forge(
            JWSAlgorithm alg, byte[] key, String issuer, String audience, Instant issued, Instant expires) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).build(),
                    claims(issuer, audience, issued, expires));
            jwt.sign(new MACSigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same signature over a payload whose scope was widened. */
    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String widened = payload.replace("io.cozy.files", FULL_SCOPE);
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(widened.getBytes()) + "."
                + parts[2];
    }

    /** Every row stored for an instance, as text: a refused request must leave it identical. */
    static List<String> snapshot(JdbcTemplate jdbc, String domain) {
        List<String> rows = new ArrayList<>();
        for (String sql : List.of(
                "SELECT * FROM instance WHERE domain = ?",
                "SELECT * FROM app WHERE domain = ? ORDER BY id",
                "SELECT s.* FROM app_service s JOIN app a ON a.id = s.app_id WHERE a.domain = ? ORDER BY s.app_id, s.name",
                "SELECT * FROM job_trigger WHERE domain = ? ORDER BY id",
                "SELECT t.* FROM trigger_doctype t JOIN job_trigger j ON j.id = t.trigger_id WHERE j.domain = ? ORDER BY 1, 2",
                "SELECT * FROM job WHERE domain = ? ORDER BY id",
                "SELECT l.* FROM job_log l JOIN job j ON j.id = l.job_id WHERE j.domain = ? ORDER BY l.job_id, l.seq",
                "SELECT * FROM rate_limit WHERE domain = ? ORDER BY 1, 2")) {
            jdbc.query(
                    sql,
                    rs -> {
                        StringBuilder row =
                                new StringBuilder(sql.substring(sql.indexOf("FROM") + 5, sql.indexOf(" WHERE")));
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            row.append('|').append(rs.getString(i));
                        }
                        rows.add(row.toString());
                    },
                    domain);
        }
        return rows;
    }

    static Api.Response expect(int status, Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response;
    }

    /** A JSON:API error with that status, and nothing of the server's insides. */
    static void assertError(Api.Response response, int status, String what) {
        assertThat(response.status()).as(what + " → " + response.body()).isEqualTo(status);
        assertThat(response.json().path("errors").get(0).path("status").asString())
                .as(what)
                .isEqualTo(Integer.toString(status));
        assertThat(response.body()).as(what).doesNotContain("Exception", "\tat ", "org.jobstack", "java.");
    }
}
