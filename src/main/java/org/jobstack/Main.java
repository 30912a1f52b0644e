package org.jobstack;

import java.util.List;
import org.jobstack.cli.JobstackCli;

/**
 * One executable, two roles: {@code serve} (the default) starts the Spring server, every other
 * first argument is a client command that talks HTTP to a running server and never loads Spring.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        if (isServe(args)) {
            JobstackApplication.serve(dropServeWord(args));
        } else {
            System.exit(JobstackCli.run(args));
        }
    }

    /** No argument, {@code serve}, or server options ({@code --server.port=…}); help and version are the CLI's. */
    static boolean isServe(String[] args) {
        if (args.length == 0 || args[0].equals("serve")) {
            return true;
        }
        return args[0].startsWith("--") && !List.of("--help", "--version").contains(args[0]);
    }

    private static String[] dropServeWord(String[] args) {
        if (args.length > 0 && args[0].equals("serve")) {
            String[] rest = new String[args.length - 1];
            System.arraycopy(args, 1, rest, 0, rest.length);
            return rest;
        }
        return args;
    }
}
