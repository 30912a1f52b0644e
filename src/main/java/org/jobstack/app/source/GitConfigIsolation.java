package org.jobstack.app.source;

import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Keeps the server user's git configuration ({@code ~/.gitconfig}, {@code /etc/gitconfig}, JGit's
 * own) out of app installs: a setting there such as {@code url.<base>.insteadOf} would otherwise
 * change where a source is fetched from. JGit reads these through one JVM-wide {@link
 * SystemReader}; this replaces it, once, with one that reads none.
 */
final class GitConfigIsolation {

    private static boolean isolated;

    private GitConfigIsolation() {}

    static synchronized void ensure() {
        if (isolated) {
            return;
        }
        SystemReader.setInstance(new SystemReader.Delegate(SystemReader.getInstance()) {
            @Override
            public FileBasedConfig openUserConfig(Config parent, FS fs) {
                return empty(parent, fs);
            }

            @Override
            public FileBasedConfig openSystemConfig(Config parent, FS fs) {
                return empty(parent, fs);
            }

            @Override
            public FileBasedConfig openJGitConfig(Config parent, FS fs) {
                return empty(parent, fs);
            }
        });
        isolated = true;
    }

    private static FileBasedConfig empty(Config parent, FS fs) {
        return new FileBasedConfig(parent, null, fs) {
            @Override
            public void load() {}

            @Override
            public boolean isOutdated() {
                return false;
            }

            @Override
            public void save() {
                // JGit keeps what it measures of the file system here; nothing is written
            }
        };
    }
}
