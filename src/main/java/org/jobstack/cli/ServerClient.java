package org.jobstack.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP to a running server: admin calls with the passphrase, instance calls with a minted CLI token.
 * It uses {@link HttpURLConnection}: the CLI starts a fifth of a second sooner than with the JDK's
 * {@code HttpClient}, whose set-up (TLS included) costs that much even for a plain http call.
 */
class ServerClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private final ServerOptions options;
    private final Map<String, String> tokens = new HashMap<>();

    ServerClient(ServerOptions options) {
        this.options = options;
    }

    /** An answer: its status and body. */
    record Answer(int status, String body) {}

    /** Mints a CLI token for the instance through the admin API, as the stack's CLI does (once per scope). */
    String token(String scope) {
        return tokens.computeIfAbsent(scope, this::mint);
    }

    private String mint(String scope) {
        String query = "Domain=" + enc(options.domain()) + "&Subject=CLI&Audience=cli&Scope=" + enc(scope);
        return admin("POST", "/instances/token?" + query, null).body().strip();
    }

    /** An admin API call; refused answers become a {@link CliException}. */
    Answer admin(String method, String pathAndQuery, String body) {
        HttpURLConnection connection = open(options.adminUrl(), method, pathAndQuery);
        connection.setRequestProperty(
                "Authorization",
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString((":" + options.passphrase()).getBytes(StandardCharsets.UTF_8)));
        connection.setRequestProperty("Content-Type", "application/json");
        return checked(exchange(connection, body, options.adminUrl()), options.adminUrl());
    }

    JsonNode adminJson(String method, String pathAndQuery, String body) {
        return parse(admin(method, pathAndQuery, body).body());
    }

    JsonNode call(String method, String pathAndQuery, String scope) {
        return call(method, pathAndQuery, scope, null);
    }

    JsonNode call(String method, String pathAndQuery, String scope, String body) {
        HttpURLConnection connection = instance(method, pathAndQuery, scope, "application/vnd.api+json");
        String text = checked(exchange(connection, body, options.url()), options.url())
                .body();
        return text.isBlank() ? JSON.createObjectNode() : parse(text);
    }

    /**
     * The items of a listing, page after page, as many as {@code listing} asks for; tells when the
     * listing went on beyond them.
     */
    void list(String pathAndQuery, String scope, ListingOptions listing, Consumer<JsonNode> items) {
        walk(
                withPageSize(pathAndQuery, listing),
                next -> call("GET", next, scope),
                listing.max(),
                listing::tellTruncated,
                items);
    }

    /** The same through the admin API. */
    void adminList(String pathAndQuery, ListingOptions listing, Consumer<JsonNode> items) {
        walk(
                withPageSize(pathAndQuery, listing),
                next -> adminJson("GET", next, null),
                listing.max(),
                listing::tellTruncated,
                items);
    }

    /** Every item of an admin listing, page after page. */
    void adminList(String pathAndQuery, Consumer<JsonNode> items) {
        walk(pathAndQuery, next -> adminJson("GET", next, null), Integer.MAX_VALUE, () -> {}, items);
    }

    /** Up to {@code max} items, following {@code links.next}; {@code truncated} when more followed. */
    private static void walk(
            String first, Function<String, JsonNode> get, int max, Runnable truncated, Consumer<JsonNode> items) {
        int left = max;
        for (String next = first; next != null; ) {
            JsonNode page = get.apply(next);
            next = nextPage(page);
            for (JsonNode item : page.path("data")) {
                if (left == 0) {
                    truncated.run();
                    return;
                }
                items.accept(item);
                left--;
            }
            if (left == 0 && next != null) {
                truncated.run();
                return;
            }
        }
    }

    private static String withPageSize(String pathAndQuery, ListingOptions listing) {
        return pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + "page%5Blimit%5D=" + listing.pageSize();
    }

    private static String nextPage(JsonNode page) {
        JsonNode next = page.path("links").path("next");
        return next.isString() && !next.asString().isBlank() ? next.asString() : null;
    }

    /**
     * Reads a Server-Sent Events answer to its end, handing each {@code (event, data)} to the
     * consumer as it arrives.
     */
    void stream(String method, String pathAndQuery, String scope, BiConsumer<String, String> events) {
        HttpURLConnection connection = instance(method, pathAndQuery, scope, "text/event-stream");
        connection.setReadTimeout(0);
        try {
            int status = connection.getResponseCode();
            if (status >= 300) {
                fail(status, readAll(connection.getErrorStream()), options.url());
            }
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                readEvents(reader, events);
            }
        } catch (IOException e) {
            throw new CliException(
                    JobstackCli.UNREACHABLE,
                    "cannot reach the server at " + options.url()
                            + " (is it running? set JOBSTACK_URL / JOBSTACK_ADMIN_URL): " + e.getMessage());
        }
    }

    private static void readEvents(BufferedReader reader, BiConsumer<String, String> events) throws IOException {
        String event = "message";
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    events.accept(event, data.toString());
                }
                event = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
            }
        }
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
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

    private HttpURLConnection instance(String method, String pathAndQuery, String scope, String accept) {
        String token = token(scope);
        HttpURLConnection connection = open(options.url(), method, pathAndQuery);
        connection.setRequestProperty("Host", options.domain());
        connection.setRequestProperty("Authorization", "Bearer " + token);
        connection.setRequestProperty("Accept", accept);
        connection.setRequestProperty("Content-Type", "application/vnd.api+json");
        return connection;
    }

    private static HttpURLConnection open(String server, String method, String pathAndQuery) {
        try {
            HttpURLConnection connection = (HttpURLConnection)
                    URI.create(server + pathAndQuery).toURL().openConnection();
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(60_000);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestMethod(method);
            return connection;
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException(JobstackCli.UNREACHABLE, "bad server URL " + server + ": " + e.getMessage());
        }
    }

    private static Answer exchange(HttpURLConnection connection, String body, String server) {
        try {
            if (body != null) {
                connection.setDoOutput(true);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            return new Answer(status, readAll(in));
        } catch (IOException e) {
            throw new CliException(
                    JobstackCli.UNREACHABLE,
                    "cannot reach the server at " + server + " (is it running? set JOBSTACK_URL / JOBSTACK_ADMIN_URL)");
        }
    }

    private static String readAll(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Answer checked(Answer answer, String server) {
        if (answer.status() < 200 || answer.status() >= 300) {
            fail(answer.status(), answer.body(), server);
        }
        return answer;
    }

    private static void fail(int status, String body, String server) {
        String detail = errorDetail(body);
        if (status == 401) {
            throw new CliException(
                    JobstackCli.UNAUTHORISED,
                    "not authorised by " + server + ": " + detail + " (check the admin passphrase)");
        }
        throw new CliException(
                status == 404 ? JobstackCli.NOT_FOUND : JobstackCli.REFUSED, detail + " (HTTP " + status + ")");
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
