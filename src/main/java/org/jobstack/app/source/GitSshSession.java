package org.jobstack.app.source;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.KeyPasswordProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * The ssh side of one {@code git+ssh://} clone: JGit's Apache MINA SSHD client with only the
 * configured key (public key authentication only, no passphrase asked, no agent, no key cache), the
 * strict check of the configured known hosts, and no ssh config: its home and {@code .ssh}
 * folders are set to a folder of Jobstack's own, so that the server user's {@code ~/.ssh} is never
 * read. Closed after the clone.
 */
final class GitSshSession implements TransportConfigCallback, AutoCloseable {

    private final StrictKnownHosts knownHosts;
    private final SshdSessionFactory factory;

    GitSshSession(Path keyFile, StrictKnownHosts knownHosts, Path home) {
        this.knownHosts = knownHosts;
        this.factory = new SshdSessionFactoryBuilder()
                .setHomeDirectory(home.toFile())
                .setSshDirectory(home.toFile())
                .setConfigFile(sshDir -> null)
                .setConfigStoreFactory((homeDir, configFile, localUser) -> null)
                .setDefaultIdentities(sshDir -> List.of(keyFile))
                .setDefaultKnownHostsFiles(sshDir -> List.of())
                .setServerKeyDatabase((homeDir, sshDir) -> knownHosts)
                .setPreferredAuthentications("publickey")
                .setKeyPasswordProvider(credentials -> NO_PASSPHRASE)
                .setConnectorFactory(null)
                .build(null);
    }

    @Override
    public void configure(Transport transport) {
        if (!(transport instanceof SshTransport ssh)) {
            throw new IllegalStateException(
                    "not an ssh transport: " + transport.getClass().getName());
        }
        ssh.setSshSessionFactory(factory);
    }

    /** Why the host was refused, or null if it was not. */
    String hostRefusal() {
        return knownHosts.refusal();
    }

    SshdSessionFactory factory() {
        return factory;
    }

    @Override
    public void close() {
        factory.close();
    }

    /** Keys are read without a passphrase: an encrypted one fails to load, nothing is asked. */
    private static final KeyPasswordProvider NO_PASSPHRASE = new KeyPasswordProvider() {
        @Override
        public char[] getPassphrase(URIish uri, int attempt) {
            return null;
        }

        @Override
        public void setAttempts(int attempts) {}

        @Override
        public boolean keyLoaded(URIish uri, int attempt, Exception error) {
            return false;
        }
    };
}
