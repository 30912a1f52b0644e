package org.jobstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** The OpenAPI description: on the admin port only, behind the passphrase, and covering every route. */
class OpenApiTest extends IntegrationTest {

    /** HTML pages and the error page: not part of the API. */
    private static final Set<String> NOT_API = Set.of("/dashboard", "/error", "/v3/api-docs");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void should_describe_every_route_the_server_maps() {
        Api.Response docs = api.admin("GET", "/v3/api-docs", null);

        assertThat(docs.status()).as(docs.body()).isEqualTo(200);
        JsonNode paths = docs.json().path("paths");
        assertThat(docs.json().path("openapi").asString()).startsWith("3.");
        assertThat(docs.json().path("info").path("title").asString()).isEqualTo("Jobstack");
        List<String> missing = new ArrayList<>();
        int routes = 0;
        for (var mapping : mappings.getHandlerMethods().keySet()) {
            for (String pattern : mapping.getPatternValues()) {
                if (NOT_API.stream().anyMatch(pattern::startsWith)) {
                    continue;
                }
                Set<RequestMethod> methods = mapping.getMethodsCondition().getMethods();
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    routes++;
                    if (!paths.path(pattern).has(method.name().toLowerCase())) {
                        missing.add(method + " " + pattern);
                    }
                }
            }
        }
        assertThat(missing).as("routes the description lacks").isEmpty();
        assertThat(routes).isGreaterThan(40);
        assertThat(paths.has("/jobs/triggers/{id}/next")).isTrue();
        assertThat(paths.has("/instances/{domain}/events")).isTrue();
        assertThat(paths.path("/realtime/").has("get"))
                .as("the realtime websocket")
                .isTrue();
        assertThat(paths.path("/realtime/{doctype}/{id}").has("post")).isTrue();
    }

    @Test
    void should_serve_the_description_on_the_admin_port_only_and_behind_the_passphrase() {
        assertThat(api.plainGet("/v3/api-docs").status()).isEqualTo(404);
        assertThat(api.adminWith(Api.basic("wrong"), "GET", "/v3/api-docs").status())
                .isEqualTo(401);
    }
}
