package org.jobstack.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.jobstack.support.Api;

/**
 * Requests to one instance of a server, as {@link Clients} sends them: its API (the instance's
 * {@code Host} header, a bearer token) and the server's admin API (the passphrase).
 */
record Instance(Api api, String domain, String token, String passphrase) {

    /** Long enough for an event batch matched against 100 000 triggers. */
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** Creates the instance {@code domain} through the admin API and mints a CLI token of {@code scope}. */
    static Instance create(Api api, String domain, String passphrase, String scope) {
        register(api, domain);
        return new Instance(api, domain, api.cliToken(domain, scope), passphrase);
    }

    /** Creates the instance {@code domain} through the admin API. */
    static void register(Api api, String domain) {
        Api.Response r = api.admin("POST", "/instances?Domain=" + domain, null);
        if (r.status() != 201) {
            throw new IllegalStateException("cannot create " + domain + ": " + r.status() + " " + r.body());
        }
    }

    /** The same instance and token on another server (the same database, restarted). */
    Instance on(Api other) {
        return new Instance(other, domain, token, passphrase);
    }

    /** The same instance with a token of another scope. */
    Instance withScope(String scope) {
        return new Instance(api, domain, api.cliToken(domain, scope), passphrase);
    }

    /** Creates a trigger ({@code attributes} of {@code POST /jobs/triggers}); returns its id. */
    String trigger(String attributes) {
        Api.Response r =
                api.call(domain, token, "POST", "/jobs/triggers", "{\"data\":{\"attributes\":" + attributes + "}}");
        if (r.status() != 201) {
            throw new IllegalStateException("cannot create trigger " + attributes + ": " + r.status() + " " + r.body());
        }
        return r.json().path("data").path("id").asString();
    }

    /** The health check, as a load balancer calls it (no token, no Accept header). */
    HttpRequest health() {
        return request("/actuator/health").GET().build();
    }

    HttpRequest get(String path) {
        return request(path)
                .header("Accept", "application/vnd.api+json")
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
    }

    HttpRequest post(String path, String body) {
        return request(path)
                .header("Accept", "application/vnd.api+json")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/vnd.api+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** A call without a token (webhooks). */
    HttpRequest postAnonymous(String path, String body) {
        return request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    HttpRequest adminPost(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.adminPort() + path))
                .timeout(TIMEOUT)
                .header("Authorization", Api.basic(passphrase))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** A dashboard page, with the session cookie a {@link #dashboardLogin()} answered. */
    HttpRequest dashboard(String path, String cookie) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.adminPort() + path))
                .timeout(TIMEOUT)
                .header("Cookie", cookie)
                .GET()
                .build();
    }

    HttpRequest dashboardLogin() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.adminPort() + "/dashboard/login"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("passphrase=" + Api.enc(passphrase)))
                .build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(TIMEOUT)
                .header("Host", domain);
    }
}
