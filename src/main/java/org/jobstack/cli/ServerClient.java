package org.jobstack.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** HTTP to a running server: admin calls with the passphrase, instance calls with a minted CLI token. */
class ServerClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ServerOptions options;

    ServerClient(ServerOptions options) {
        this.options = options;
    }

    /** Mints a CLI token for the instance through the admin API, as the stack's CLI does. */
    String token(String scope) {
        String query = "Domain=" + enc(options.domain()) + "&Subject=CLI&Audience=cli&Scope=" + enc(scope);
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.adminUrl() + "/instances/token?" + query))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (":" + options.passphrase()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return send(request, options.adminUrl()).strip();
    }

    JsonNode call(String method, String pathAndQuery, String scope) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.url() + pathAndQuery))
                .header("Host", options.domain())
                .header("Authorization", "Bearer " + token(scope))
                .header("Accept", "application/vnd.api+json")
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        String body = send(request, options.url());
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw new CliException(JobstackCli.REFUSED, "the server answered something that is not JSON");
        }
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String pretty(JsonNode node) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    private String send(HttpRequest request, String server) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(JobstackCli.UNREACHABLE, "cannot reach the server at " + server
                    + " (is it running? set JOBSTACK_URL / JOBSTACK_ADMIN_URL)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(JobstackCli.UNREACHABLE, "interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        String detail = errorDetail(response.body());
        if (status == 401) {
            throw new CliException(JobstackCli.UNAUTHORISED, "not authorised by " + server + ": " + detail
                    + " (check the admin passphrase)");
        }
        throw new CliException(JobstackCli.REFUSED, detail + " (HTTP " + status + ")");
    }

    private static String errorDetail(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("errors").path(0);
            String detail = error.path("detail").asString("");
            return detail.isEmpty() ? error.path("title").asString("request refused") : detail;
        } catch (JacksonException e) {
            return "request refused";
        }
    }
}
