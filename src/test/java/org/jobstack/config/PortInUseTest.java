package org.jobstack.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.jobstack.support.ServerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.tomcat.ConnectorStartFailedException;
import org.springframework.boot.web.server.PortInUseException;

/**
 * A port already taken, the admin one included (a connector of Jobstack's own): the start fails
 * with Spring Boot's failure for it, whose analysis names the port ("The Tomcat connector
 * configured to listen on port N failed to start. The port may already be in use…", or "Port N
 * was already in use") instead of a stack trace.
 */
class PortInUseTest {

    @TempDir
    Path dir;

    @Test
    void should_fail_the_start_naming_the_admin_port_when_it_is_taken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Throwable failure = catchThrowable(() -> ServerContext.start(
                    PrivateFiles.createFolder(dir.resolve("data")),
                    Map.of("jobstack.admin.port", Integer.toString(taken.getLocalPort()))));

            assertThat(portInUse(failure)).as(String.valueOf(failure)).isEqualTo(taken.getLocalPort());
        }
    }

    private static int portInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PortInUseException inUse) {
                return inUse.getPort();
            }
            if (t instanceof ConnectorStartFailedException notStarted) {
                return notStarted.getPort();
            }
        }
        return -1;
    }
}
