package org.jobstack.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(
        name = "secrets",
        description = "The key that encrypts the secrets stored in the database: make one, rotate to it"
                + " (docs/security.md, Keys).",
        mixinStandardHelpOptions = true)
class SecretsCommand {

    private static final int KEY_BYTES = 32;

    @Command(
            name = "new-key",
            mixinStandardHelpOptions = true,
            description = "Make a new random key (base64 of 32 bytes): printed, or written to a new 0600 file.")
    static class NewKey implements Callable<Integer> {
        @Option(names = "--out", description = "Write it to this new file (mode 0600) instead of printing it")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            byte[] key = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(key);
            String base64 = Base64.getEncoder().encodeToString(key);
            if (out == null) {
                spec.commandLine().getOut().println(base64);
                return 0;
            }
            try {
                Files.createFile(
                        out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(out, base64 + "\n", StandardCharsets.UTF_8);
            } catch (FileAlreadyExistsException e) {
                throw new CliException(JobstackCli.REFUSED, out + " exists: a key file is never overwritten");
            } catch (IOException e) {
                throw new CliException(JobstackCli.REFUSED, "cannot write " + out + ": " + e.getMessage());
            }
            spec.commandLine().getOut().println("Key written to " + out);
            return 0;
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = "Re-encrypt every stored secret with the server's key and retire the previous keys."
                    + " First give every node the new key as jobstack.secrets.key(-file) and the old one in"
                    + " jobstack.secrets.previous-keys.")
    static class Rotate extends ServerCommand.WithJson implements Callable<Integer> {
        @Override
        public Integer call() {
            JsonNode resource = new ServerClient(server)
                    .adminJson("POST", "/secrets/rotate", null)
                    .path("data");
            JsonNode a = resource.path("attributes");
            printResource(
                    resource,
                    "Secrets re-encrypted with key " + a.path("key_id").asString() + ": "
                            + a.path("resealed").asInt() + " re-encrypted, keys retired: " + a.path("retired"));
            return 0;
        }
    }
}
