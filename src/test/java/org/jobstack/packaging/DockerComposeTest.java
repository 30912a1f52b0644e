package org.jobstack.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker/compose.yaml cannot be run here (no Docker engine), so what makes it a cluster is
 * checked by reading it: PostgreSQL and three nodes that share the database and the admin
 * passphrase, each with its own node id and its own /data, and no folder shared between nodes.
 */
class DockerComposeTest {

    @Test
    @SuppressWarnings("unchecked")
    void should_run_three_nodes_sharing_only_the_database() throws Exception {
        Map<String, Object> compose;
        try (Reader reader = Files.newBufferedReader(Path.of("docker/compose.yaml"))) {
            compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        List<String> nodes = services.keySet().stream()
                .filter(s -> s.startsWith("jobstack-"))
                .toList();

        assertThat(services).containsKey("postgres");
        assertThat(nodes).hasSize(3);
        Set<String> ids = new HashSet<>();
        Set<String> volumes = new HashSet<>();
        Set<Object> databases = new HashSet<>();
        Set<Object> passphrases = new HashSet<>();
        Set<Object> keys = new HashSet<>();
        for (String node : nodes) {
            Map<String, Object> env = (Map<String, Object>) services.get(node).get("environment");
            assertThat(env).doesNotContainKey("JOBSTACK_APPS_DIR");
            ids.add((String) env.get("JOBSTACK_NODE_ID"));
            databases.add(env.get("SPRING_DATASOURCE_URL"));
            passphrases.add(env.get("JOBSTACK_ADMIN_PASSPHRASE"));
            keys.add(env.get("JOBSTACK_SECRETS_KEY"));
            List<String> mounts = (List<String>) services.get(node).get("volumes");
            assertThat(mounts).hasSize(1).allSatisfy(m -> assertThat(m).endsWith(":/data"));
            assertThat(volumes.add(mounts.get(0).split(":")[0]))
                    .as("%s shares its /data", node)
                    .isTrue();
        }
        assertThat(ids).hasSize(3).doesNotContainNull();
        assertThat(databases).containsExactly("jdbc:postgresql://postgres:5432/jobstack");
        assertThat(passphrases).hasSize(1).doesNotContainNull();
        assertThat(keys)
                .as("one secrets key for every node, given by the operator, never in the file")
                .singleElement()
                .asString()
                .startsWith("${JOBSTACK_SECRETS_KEY:?");
        assertThat(Files.readString(Path.of("docker/Dockerfile")))
                .contains("chown jobstack:jobstack /data")
                .contains("USER jobstack");
    }
}
