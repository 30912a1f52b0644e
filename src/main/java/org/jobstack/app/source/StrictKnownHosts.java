package org.jobstack.app.source;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Strict host key checking against one OpenSSH {@code known_hosts} file, read again at each
 * connection: a host is accepted only when the file holds its key (plain or hashed host names,
 * {@code [host]:port} for other ports than 22); an unknown host, a changed key or a key marked
 * {@code @revoked} is refused, and nothing is ever added to the file. {@code @cert-authority} lines
 * are not used. The reason of the last refusal is kept for the error the client gets.
 */
final class StrictKnownHosts implements ServerKeyDatabase {

    static final String SETTING = "jobstack.apps.git-ssh.known-hosts-file";

    private static final Logger log = LoggerFactory.getLogger(StrictKnownHosts.class);

    private final Path file;
    private volatile String refusal;

    StrictKnownHosts(Path file) {
        this.file = file;
    }

    /** Why the host was refused, or null if it was not. */
    String refusal() {
        return refusal;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        try {
            return keys(connectAddress, null);
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public boolean accept(
            String connectAddress,
            InetSocketAddress remoteAddress,
            PublicKey serverKey,
            Configuration config,
            CredentialsProvider provider) {
        String fingerprint = KeyUtils.getFingerPrint(serverKey);
        try {
            if (keys(connectAddress, "revoked").stream().anyMatch(k -> KeyUtils.compareKeys(k, serverKey))) {
                return refuse(
                        "The host key " + fingerprint + " of " + connectAddress + " is marked @revoked in " + SETTING);
            }
            List<PublicKey> known = keys(connectAddress, null);
            if (known.stream().anyMatch(k -> KeyUtils.compareKeys(k, serverKey))) {
                return true;
            }
            return refuse(
                    known.isEmpty()
                            ? "The host " + connectAddress + " is unknown: its key " + fingerprint + " is not in "
                                    + SETTING
                            : "The host key of " + connectAddress + " has changed: " + fingerprint + " is not the key "
                                    + SETTING + " holds for it");
        } catch (IOException e) {
            log.atWarn().addKeyValue("file", file).log("{} cannot be read: {}", SETTING, e.toString());
            return refuse(SETTING + " cannot be read (the server's log says why)");
        }
    }

    private boolean refuse(String reason) {
        refusal = reason;
        return false;
    }

    /** The keys of the file for that host, with that marker (null: unmarked lines). */
    private List<PublicKey> keys(String connectAddress, String marker) throws IOException {
        String host = connectAddress;
        int port = 22;
        int close = connectAddress.indexOf("]:");
        if (connectAddress.startsWith("[") && close > 0) {
            host = connectAddress.substring(1, close);
            port = Integer.parseInt(connectAddress.substring(close + 2));
        }
        List<PublicKey> keys = new ArrayList<>();
        for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(file)) {
            boolean sameMarker = marker == null ? entry.getMarker() == null : marker.equals(entry.getMarker());
            if (sameMarker && entry.isHostMatch(host, port)) {
                PublicKey key = resolve(entry);
                if (key != null) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    private static PublicKey resolve(KnownHostEntry entry) throws IOException {
        try {
            return entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
