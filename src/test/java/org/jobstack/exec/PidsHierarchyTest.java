package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PidsHierarchyTest {

    private static final String V2_MOUNT = "41 31 0:38 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw";

    @Test
    void should_find_this_process_in_cgroup_v1s_pids_hierarchy() {
        List<String> mountinfo = List.of(
                "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
        List<String> cgroups = List.of("8:pids:/system.slice/jobstack.service", "4:memory:/x", "0::/");

        assertThat(ProcessCgroups.PidsHierarchy.find(mountinfo, cgroups))
                .contains(Path.of("/sys/fs/cgroup/pids/system.slice/jobstack.service"));
    }

    @Test
    void should_fall_back_to_cgroup_v2_when_no_v1_pids_hierarchy_is_mounted() {
        List<String> cgroups = List.of("0::/system.slice/jobstack.service");

        assertThat(ProcessCgroups.PidsHierarchy.find(List.of(V2_MOUNT), cgroups))
                .contains(Path.of("/sys/fs/cgroup/system.slice/jobstack.service"));
    }

    @Test
    void should_find_nothing_without_a_cgroup_mount_or_without_this_process_in_it() {
        assertThat(ProcessCgroups.PidsHierarchy.find(
                        List.of("22 1 0:21 / /proc rw - proc proc rw", "garbage", ""), List.of("0::/")))
                .isEmpty();
        assertThat(ProcessCgroups.PidsHierarchy.find(List.of(V2_MOUNT), List.of("1:name=systemd:/")))
                .isEmpty();
    }
}
