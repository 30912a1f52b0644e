package org.jobstack.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class StartupCompilationTest {

    @Test
    void should_keep_c2_out_of_the_start_and_let_it_in_once_ready() {
        FakeVmFlags flags = new FakeVmFlags(true);
        StartupCompilation compilation = new StartupCompilation(() -> flags);

        compilation.onApplicationEvent(environmentPrepared(Map.of(StartupCompilation.PROPERTY, "after-start")));

        assertThat(flags.directives).containsExactly(StartupCompilation.NO_C2);

        compilation.onApplicationEvent(ready());

        assertThat(flags.directives).isEmpty();
    }

    @Test
    void should_keep_c2_out_for_good_when_told_never() {
        FakeVmFlags flags = new FakeVmFlags(true);
        StartupCompilation compilation = new StartupCompilation(() -> flags);

        compilation.onApplicationEvent(environmentPrepared(Map.of(StartupCompilation.PROPERTY, "never")));
        compilation.onApplicationEvent(ready());

        assertThat(flags.directives).containsExactly(StartupCompilation.NO_C2);
    }

    @Test
    void should_leave_the_compilers_alone_by_default_and_when_told_always() {
        for (Map<String, Object> settings :
                List.<Map<String, Object>>of(Map.of(), Map.of(StartupCompilation.PROPERTY, "always"))) {
            FakeVmFlags flags = new FakeVmFlags(true);
            StartupCompilation compilation = new StartupCompilation(() -> flags);

            compilation.onApplicationEvent(environmentPrepared(settings));
            compilation.onApplicationEvent(ready());

            assertThat(flags.directives).isEmpty();
        }
    }

    @Test
    void should_leave_a_jvm_alone_whose_compilers_were_chosen_on_its_command_line() {
        FakeVmFlags quickOnly = new FakeVmFlags(true, "TieredStopAtLevel");
        quickOnly.texts.put("TieredStopAtLevel", "1");
        FakeVmFlags stoppedAtFour = new FakeVmFlags(true, "TieredStopAtLevel");
        FakeVmFlags notTiered = new FakeVmFlags(true);
        notTiered.texts.put("TieredCompilation", "false");
        FakeVmFlags ownDirectives = new FakeVmFlags(true, "CompilerDirectivesFile");
        FakeVmFlags c2Only = new FakeVmFlags(true, "CompilationMode");
        c2Only.texts.put("CompilationMode", "high-only");
        FakeVmFlags jvmci = new FakeVmFlags(true);
        jvmci.texts.put("UseJVMCICompiler", "true");

        for (FakeVmFlags flags : List.of(quickOnly, stoppedAtFour, notTiered, ownDirectives, c2Only, jvmci)) {
            new StartupCompilation(() -> flags)
                    .onApplicationEvent(environmentPrepared(Map.of(StartupCompilation.PROPERTY, "after-start")));
            assertThat(flags.directives).isEmpty();
        }
    }

    @Test
    void should_not_pop_a_directive_it_could_not_push() {
        FakeVmFlags flags = new FakeVmFlags(true);
        flags.acceptsDirectives = false;
        StartupCompilation compilation = new StartupCompilation(() -> flags);
        compilation.onApplicationEvent(environmentPrepared(Map.of(StartupCompilation.PROPERTY, "after-start")));
        flags.acceptsDirectives = true;
        flags.directives.add("an operator's own directive");

        compilation.onApplicationEvent(ready());

        assertThat(flags.directives).containsExactly("an operator's own directive");
    }

    @Test
    void should_leave_a_directive_pushed_over_its_own_and_its_own_too() {
        FakeVmFlags flags = new FakeVmFlags(true);
        StartupCompilation compilation = new StartupCompilation(() -> flags);
        compilation.onApplicationEvent(environmentPrepared(Map.of(StartupCompilation.PROPERTY, "after-start")));
        flags.directives.add("an operator's own directive");

        compilation.onApplicationEvent(ready());

        assertThat(flags.directives).containsExactly(StartupCompilation.NO_C2, "an operator's own directive");
    }

    @Test
    void should_leave_a_misspelt_setting_to_the_settings_binding_which_names_it() {
        FakeVmFlags flags = new FakeVmFlags(true);
        Map<String, Object> misspelt = Map.of(StartupCompilation.PROPERTY, "sometimes");

        new StartupCompilation(() -> flags).onApplicationEvent(environmentPrepared(misspelt));

        assertThat(flags.directives).isEmpty();
        assertThatThrownBy(() -> new Binder(new MapConfigurationPropertySource(misspelt))
                        .bindOrCreate("jobstack", JobstackProperties.class))
                .isInstanceOf(BindException.class)
                .hasMessageContaining(StartupCompilation.PROPERTY);
    }

    /**
     * A JVM of its own, printing its compilations: the hot method run under the directive is never
     * compiled by C2 (C1 instead), the one run after its removal is.
     */
    @Test
    void should_keep_this_jvms_c2_away_while_the_directive_is_there() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output = Files.createTempFile("compiler-directives-probe", ".txt");
        // -Xbatch: each compilation done before the method runs on, so that a busy compile queue
        // cannot leave the second loop at a tier below C2 when it ends
        ProcessBuilder builder = new ProcessBuilder(
                        java.toString(),
                        "-Xbatch",
                        "-XX:+PrintCompilation",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CompilerDirectivesProbe.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS").forEach(builder.environment()::remove);
        Process probe = builder.start();
        boolean ended = probe.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            probe.destroyForcibly();
        }
        String printed = Files.readString(output);
        Files.delete(output);
        assertThat(ended).as("the probe ended").isTrue();
        assertThat(probe.exitValue()).as(printed).isZero();

        String probeClass = CompilerDirectivesProbe.class.getName();
        assertThat(printed).contains("ours on top true", "removed true, ours on top false");
        assertThat(printed).contains("made not compilable on level 4  " + probeClass + "::whileExcluded");
        assertThat(printed).doesNotContainPattern(compiledAt(4, probeClass + "::whileExcluded"));
        assertThat(printed).containsPattern(compiledAt(1, probeClass + "::whileExcluded"));
        assertThat(printed).containsPattern(compiledAt(4, probeClass + "::afterRemoval"));
    }

    /** A line of {@code -XX:+PrintCompilation}: time, compilation id, flags, tier, method. */
    private static String compiledAt(int tier, String method) {
        return "(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*" + tier + "\\s+" + method.replace(".", "\\.") + "\\b";
    }

    private static ApplicationEnvironmentPreparedEvent environmentPrepared(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        return new ApplicationEnvironmentPreparedEvent(
                new DefaultBootstrapContext(), new SpringApplication(), new String[0], environment);
    }

    private static ApplicationReadyEvent ready() {
        return new ApplicationReadyEvent(new SpringApplication(), new String[0], null, Duration.ofSeconds(1));
    }
}
