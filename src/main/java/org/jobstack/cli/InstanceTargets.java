package org.jobstack.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The instances an admin command works on, as an exclusive argument group: one domain, or every
 * instance with {@code --all-domains}.
 */
class InstanceTargets {

    @Parameters(index = "0", arity = "0..1", description = "Instance domain")
    String domain;

    @Option(names = "--all-domains", description = "Every instance, one after the other")
    boolean all;

    List<String> domains(ServerClient client) {
        if (!all) {
            return List.of(domain);
        }
        List<String> domains = new ArrayList<>();
        client.adminList(
                "/instances", instance -> domains.add(instance.path("id").asString()));
        return domains;
    }
}
