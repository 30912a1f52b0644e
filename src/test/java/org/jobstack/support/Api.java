package org.jobstack.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** HTTP to the server under test: admin calls with the passphrase, instance calls with tokens. */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final int adminPort;
    private final String passphrase;

    private final Map<String, byte[]> tokenSecrets = new ConcurrentHashMap<>();

    public Api(int port, int adminPort, String passphrase) {
        this.port = port;
        this.adminPort = adminPort;
        this.passphrase = passphrase;
    }

    public record Response(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return adminPort;
    }

    public String passphrase() {
        return passphrase;
    }

    /** An admin request (passphrase as HTTP Basic password). */
    public Response admin(String method, String pathAndQuery, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + pathAndQuery))
                .header("Authorization", basic(passphrase));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b, method, body);
    }

    /** A request on the admin port with chosen (or no) Authorization header. */
    public Response adminWith(String authorization, String method, String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + pathAndQuery));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b, method, null);
    }

    /** An instance API request for {@code domain} (Host header) with a bearer token (or none). */
    public Response call(String domain, String token, String method, String pathAndQuery, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("Host", domain)
                .header("Accept", "application/vnd.api+json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/vnd.api+json");
        }
        return send(b, method, body);
    }

    /** A plain GET on the main port, without token or Accept header (health checks). */
    public Response plainGet(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)), "GET", null);
    }

    /** Creates a fresh instance and returns its domain. */
    public String newInstance(String stackUrl) {
        String domain = "i" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        Response r = admin(
                "POST",
                "/instances?Domain=" + domain + "&Locale=fr" + (stackUrl == null ? "" : "&StackURL=" + enc(stackUrl)),
                null);
        if (r.status() != 201) {
            throw new IllegalStateException("cannot create instance: " + r.status() + " " + r.body());
        }
        tokenSecrets.put(
                domain,
                Base64.getDecoder()
                        .decode(r.json()
                                .path("data")
                                .path("attributes")
                                .path("token_secret")
                                .asString()));
        return domain;
    }

    /**
     * Creates the instance {@code domain} calling back {@code stackUrl}, installs the app of folder
     * {@code app} in it, and returns a CLI token for its jobs and apps.
     */
    public String instanceWithApp(String domain, String stackUrl, String slug, Path app) {
        Response created = admin("POST", "/instances?Domain=" + domain + "&StackURL=" + enc(stackUrl), null);
        if (created.status() != 201) {
            throw new IllegalStateException("cannot create instance: " + created.status() + " " + created.body());
        }
        String token = cliToken(domain, "io.cozy.jobs io.cozy.apps");
        Response installed = call(
                domain,
                token,
                "POST",
                "/apps/" + slug + "?Source=" + enc(app.toUri().toString()),
                null);
        if (installed.status() != 202) {
            throw new IllegalStateException(
                    "cannot install " + slug + ": " + installed.status() + " " + installed.body());
        }
        return token;
    }

    /** The token secret of an instance {@link #newInstance} made, as its creation answered it (the only time). */
    public byte[] tokenSecret(String domain) {
        return tokenSecrets.get(domain).clone();
    }

    public String token(String domain, String audience, String subject, String scope) {
        Response r = admin(
                "POST",
                "/instances/token?Domain=" + domain + "&Subject=" + enc(subject) + "&Audience=" + audience
                        + (scope == null ? "" : "&Scope=" + enc(scope)),
                null);
        if (r.status() != 200) {
            throw new IllegalStateException("cannot mint token: " + r.status() + " " + r.body());
        }
        return r.body();
    }

    /** A CLI token valid 30 days, so tests that move the clock keep using it. */
    public String cliToken(String domain, String scope) {
        Response r = admin(
                "POST",
                "/instances/token?Domain=" + domain + "&Subject=CLI&Audience=cli&Expire=720h"
                        + (scope == null ? "" : "&Scope=" + enc(scope)),
                null);
        if (r.status() != 200) {
            throw new IllegalStateException("cannot mint token: " + r.status() + " " + r.body());
        }
        return r.body();
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString((":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Response send(HttpRequest.Builder builder, String method, String body) {
        HttpRequest request = builder.method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
