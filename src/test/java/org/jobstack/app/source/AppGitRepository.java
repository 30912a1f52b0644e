package org.jobstack.app.source;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;

/**
 * The git repository of an app that the clone tests serve: branch {@code main}, tag {@code v1} at
 * version 1.0.0, version 2.0.0 at its head.
 */
final class AppGitRepository {

    private AppGitRepository() {}

    static Git create(Path folder) throws Exception {
        Git work = Git.init()
                .setDirectory(folder.toFile())
                .setInitialBranch("main")
                .call();
        commit(work, "manifest.webapp", "{\"version\":\"1.0.0\"}");
        work.tag().setName("v1").call();
        commit(work, "manifest.webapp", "{\"version\":\"2.0.0\"}");
        return work;
    }

    static void commit(Git work, String file, String content) throws Exception {
        Files.writeString(work.getRepository().getWorkTree().toPath().resolve(file), content);
        work.add().addFilepattern(file).call();
        work.commit().setMessage(content).setSign(false).call();
    }

    /** The version in a checked-out app's manifest. */
    static String version(Path app) throws Exception {
        return Files.readString(app.resolve("manifest.webapp")).replaceAll(".*\"version\":\"([^\"]+)\".*", "$1");
    }
}
