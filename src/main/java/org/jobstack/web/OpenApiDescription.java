package org.jobstack.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the generated OpenAPI description says about the service as a whole: its two doors. */
@Configuration
class OpenApiDescription {

    @Bean
    OpenAPI jobstackOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Jobstack")
                        .version("0.1.0")
                        .description("The jobs and triggers API of a cozy stack. Instance routes (/jobs, /apps,"
                                + " /konnectors) answer on the main port with an instance's bearer token; admin"
                                + " routes (/instances, /secrets, /nodes) on the admin port with the admin"
                                + " passphrase (HTTP Basic, any user name). Webhooks and health need neither."))
                .path(
                        "/realtime/",
                        new PathItem()
                                .get(new Operation()
                                        .summary("Realtime websocket (cozy-stack's io.cozy.websocket protocol)")
                                        .description(
                                                "Upgrades to a websocket (Sec-WebSocket-Protocol: io.cozy.websocket)"
                                                        + " for the instance named by Host. The first message is"
                                                        + " {\"method\":\"AUTH\",\"payload\":\"<token>\"}; then SUBSCRIBE and"
                                                        + " UNSUBSCRIBE with {\"type\":\"<doctype>\",\"id\":\"<optional>\"}. The"
                                                        + " server sends {\"event\":\"CREATED|UPDATED|DELETED|NOTIFIED\","
                                                        + "\"payload\":{\"type\",\"id\",\"doc\"}} for the documents the token may"
                                                        + " read, and {\"event\":\"error\",\"payload\":{\"status\",\"code\","
                                                        + "\"title\",\"source\"}}.")
                                        .responses(new ApiResponses()
                                                .addApiResponse(
                                                        "101",
                                                        new ApiResponse().description("Switching to the websocket"))
                                                .addApiResponse(
                                                        "404", new ApiResponse().description("No such instance")))))
                .components(new Components()
                        .addSecuritySchemes(
                                "token",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer"))
                        .addSecuritySchemes(
                                "passphrase",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("basic")));
    }
}
