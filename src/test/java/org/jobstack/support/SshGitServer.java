package org.jobstack.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A git server over ssh on 127.0.0.1 (a random port) for tests: Apache MINA SSHD with a fresh host
 * key, public key authentication of one user and key, and one command, {@code git-upload-pack},
 * served by JGit's {@link UploadPack} from one repository whatever the path asked.
 */
public final class SshGitServer implements AutoCloseable {

    private final SshServer server;
    private final KeyPair hostKey;

    public SshGitServer(Repository repository, String user, PublicKey clientKey) throws IOException {
        this.hostKey = newKeyPair("EC");
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPublickeyAuthenticator(
                (name, key, session) -> name.equals(user) && KeyUtils.compareKeys(key, clientKey));
        server.setCommandFactory((channel, command) -> new UploadPackCommand(repository, command));
        server.start();
    }

    public int port() {
        return server.getPort();
    }

    /** This server's line of a known_hosts file. */
    public String knownHostsLine() {
        return knownHostsLine(hostKey.getPublic());
    }

    /** A known_hosts line giving this server's address another key. */
    public String knownHostsLine(PublicKey key) {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key) + "\n";
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** A new key pair: {@code "EC"} (P-256), {@code "Ed25519"} or {@code "RSA"}. */
    public static KeyPair newKeyPair(String algorithm) {
        try {
            return switch (algorithm) {
                case "EC" -> KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
                case "Ed25519" -> KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
                case "RSA" -> KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 2048);
                default -> throw new IllegalArgumentException(algorithm);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code keys} as an unencrypted OpenSSH private key file, 0600. */
    public static Path writePrivateKey(KeyPair keys, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keys, "jobstack-test", null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** {@code git-upload-pack '<any path>'}, from the one repository; any other command fails. */
    private static final class UploadPackCommand implements Command {
        private final Repository repository;
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        UploadPackCommand(Repository repository, String command) {
            this.repository = repository;
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback exit) {
            this.exit = exit;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Thread thread = new Thread(this::run, "ssh-upload-pack");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            if (!command.startsWith("git-upload-pack ")) {
                exit.onExit(127, "only git-upload-pack is served");
                return;
            }
            try {
                new UploadPack(repository).upload(in, out, err);
                out.flush();
                exit.onExit(0);
            } catch (IOException | RuntimeException e) {
                exit.onExit(1, String.valueOf(e.getMessage()));
            }
        }

        @Override
        public void destroy(ChannelSession channel) {}
    }
}
