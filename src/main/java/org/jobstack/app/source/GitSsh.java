package org.jobstack.app.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.jobstack.config.PrivateFiles;
import org.jobstack.config.StartupRefusal;

/**
 * The identity of {@code git+ssh://} sources: the private key and the known hosts the settings
 * name, checked at start-up (both readable, the key private to the server's user, unencrypted).
 * Without a key, {@code git+ssh://} sources are refused with 422.
 */
final class GitSsh {

    static final String KEY_SETTING = "jobstack.apps.git-ssh.private-key-file";

    /** No key: {@code git+ssh://} sources are refused. */
    static final GitSsh NONE = new GitSsh(null, null, null);

    private final Path keyFile;
    private final Path knownHosts;
    private final Path home;

    private GitSsh(Path keyFile, Path knownHosts, Path home) {
        this.keyFile = keyFile;
        this.knownHosts = knownHosts;
        this.home = home;
    }

    /**
     * The settings' identity, checked; {@code home} is the folder JGit is told is the home and
     * {@code .ssh} folder instead of the server user's (nothing is read there).
     */
    static GitSsh of(JobstackProperties.GitSsh settings, Path home) {
        if (settings.privateKeyFile() == null) {
            return NONE;
        }
        Path key = readable(settings.privateKeyFile(), KEY_SETTING);
        PrivateFiles.openToOthers(key).ifPresent(permissions -> {
            throw new StartupRefusal(
                    KEY_SETTING + " " + key + " can be read by other users (" + permissions + ").",
                    "Run: chmod 600 " + key);
        });
        checkKey(key);
        if (settings.knownHostsFile() == null) {
            throw new StartupRefusal(
                    KEY_SETTING + " is set but " + StrictKnownHosts.SETTING + " is not: every host would be refused.",
                    "Set it to an OpenSSH known_hosts file holding the git servers' host keys (ssh-keyscan -p <port>"
                            + " <host>, checked against the key the server's administrator gives).");
        }
        Path hosts = readable(settings.knownHostsFile(), StrictKnownHosts.SETTING);
        try {
            KnownHostEntry.readKnownHostEntries(hosts);
        } catch (IOException | RuntimeException e) {
            throw new StartupRefusal(
                    StrictKnownHosts.SETTING + " " + hosts + " is not a known_hosts file (" + e.getMessage() + ").",
                    "Give it lines such as: [git.example.com]:2222 ssh-ed25519 AAAA…");
        }
        return new GitSsh(key, hosts, home.toAbsolutePath());
    }

    /** The session of one clone of {@code uri}; 422 when no key is configured or the URL names no user. */
    GitSshSession open(URI uri) {
        if (keyFile == null) {
            throw Problem.invalid(
                    "source",
                    "git+ssh:// sources need the server's ssh key: the operator sets " + KEY_SETTING + " and "
                            + StrictKnownHosts.SETTING);
        }
        if (uri.getRawUserInfo() == null || uri.getRawUserInfo().isEmpty()) {
            throw Problem.invalid("source", "A git+ssh:// source names its user: git+ssh://git@host[:port]/path");
        }
        return new GitSshSession(keyFile, new StrictKnownHosts(knownHosts), home);
    }

    /**
     * Why a clone of {@code uri} failed, from the ssh library's {@code message}: the key file's path
     * replaced by the setting's name, a refused key said as such.
     */
    String reason(URI uri, String message) {
        if (message == null || keyFile == null) {
            return message;
        }
        String reason = message.replace(keyFile.toString(), KEY_SETTING);
        if (reason.startsWith("No more authentication methods")) {
            return "the server refused the key of " + KEY_SETTING + " for " + uri.getUserInfo() + ": " + reason;
        }
        return reason;
    }

    private static Path readable(Path setting, String name) {
        Path file = setting.toAbsolutePath();
        try {
            file = file.toRealPath();
        } catch (IOException e) {
            throw new StartupRefusal(name + " " + file + " does not exist.", "Point it at the file, or unset it.");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new StartupRefusal(
                    name + " " + file + " is not a file the server can read.", "Point it at a readable file.");
        }
        return file;
    }

    /** An unencrypted private key that the ssh library reads: asks for no passphrase. */
    private static void checkKey(Path key) {
        String problem;
        try (InputStream in = Files.newInputStream(key)) {
            Iterable<KeyPair> pairs =
                    SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(KEY_SETTING), in, NO_PASSPHRASE);
            Iterator<KeyPair> first = pairs == null ? null : pairs.iterator();
            problem = first != null && first.hasNext() ? null : "it holds no private key";
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            problem = e.getMessage();
        }
        if (problem != null) {
            throw new StartupRefusal(
                    KEY_SETTING + " " + key + " is not an unencrypted OpenSSH private key (" + problem + ").",
                    "Make one with: ssh-keygen -t ed25519 -N '' -f <file>, and give its .pub to the git server.");
        }
    }

    private static final FilePasswordProvider NO_PASSPHRASE = (session, resource, retryIndex) -> {
        throw new IOException("it is encrypted; Jobstack reads only keys without a passphrase");
    };
}
