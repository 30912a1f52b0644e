package org.jobstack.config;

import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * A second Tomcat connector for the admin API, bound to {@code jobstack.admin.address} (loopback by
 * default), like the stack's admin port. Requests are told apart by the local port they came in on.
 */
@Component
public class AdminConnector implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    /**
     * Cozy clients write {@code page[cursor]} and {@code page[limit]} with bare brackets, as
     * browsers do; Tomcat refuses them in a query unless told otherwise.
     */
    private static final String RELAXED_QUERY_CHARS = "relaxedQueryChars";

    private static final String QUERY_BRACKETS = "[]";

    private final Connector connector;

    public AdminConnector(JobstackProperties properties) {
        connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(properties.admin().port());
        connector.setProperty("address", properties.admin().address());
        connector.setProperty(RELAXED_QUERY_CHARS, QUERY_BRACKETS);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(main -> main.setProperty(RELAXED_QUERY_CHARS, QUERY_BRACKETS));
        factory.addAdditionalConnectors(connector);
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int localPort() {
        return connector.getLocalPort();
    }
}
