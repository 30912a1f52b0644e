package org.jobstack.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jobstack.config.DataDirectory;
import org.jobstack.config.JobstackProperties;
import org.jobstack.config.SecretFiles;
import org.springframework.stereotype.Component;

/**
 * This node's stable id: configured, or kept in {@code <data-dir>/node-id} so that after a crash
 * the restarted node recognises the jobs it was running.
 */
@Component
public class NodeIdentity {

    private final String id;
    private final String host;

    public NodeIdentity(JobstackProperties properties, DataDirectory dataDirectory) {
        this.host = hostName();
        String configured = properties.node().id();
        this.id = configured != null && !configured.isBlank()
                ? configured
                : SecretFiles.readOrCreate(
                        dataDirectory.resolve("node-id"), () -> truncate(host, 40) + "-" + SecretFiles.randomToken(6));
    }

    public String id() {
        return id;
    }

    /** The Jobstack version this node runs ({@code dev} when not run from a packaged jar). */
    public String version() {
        String version = NodeIdentity.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    public String host() {
        return host;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node";
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
