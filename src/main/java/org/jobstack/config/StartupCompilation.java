package org.jobstack.config;

import java.util.List;
import java.util.function.Supplier;
import org.jobstack.config.JobstackProperties.Jit.OptimizingCompiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;

/**
 * Keeps the JVM's optimizing compiler (C2) away from the start ({@code after-start}) or for good
 * ({@code never}) without a command-line option, which {@code java -jar} does not carry: a compiler
 * directive excluding every method from C2 is pushed once the configuration is read and, with
 * {@code after-start}, popped when the server is ready. A method that C2 would have compiled
 * meanwhile is compiled by the quick compiler (C1) instead, for good; methods that get hot later
 * reach C2 as usual. What each costs and gives, measured, is in docs/benchmarks.md (the default,
 * {@code always}, leaves the JVM as it is). A JVM without tiered compilation, or whose tiers or
 * directives were set on its command line, is left alone, with a warning. Added to the server's
 * application only.
 */
public class StartupCompilation implements SmartApplicationListener {

    private static final Logger log = LoggerFactory.getLogger(StartupCompilation.class);

    static final String PROPERTY = "jobstack.jit.optimizing-compiler";
    /** A pattern no method matches, by which this directive is told from others on the JVM's stack. */
    static final String MARKER = "jobstack/StartupCompilation.keepsC2Out";

    /**
     * Every method: compiled by C1 only, like {@code -XX:TieredStopAtLevel=1} but not the same (a hot
     * method is compiled with profiling first, then without; C2's thread and code space remain).
     */
    static final String NO_C2 = "[{ match: [\"*.*\", \"" + MARKER + "\"], c2: { Exclude: true } }]";

    /** After logging starts (+20), long before the context's refresh. */
    private static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 30;

    /** Looked up only when needed: the default, {@code always}, asks nothing of the JVM. */
    private final Supplier<VmFlags> jvm;

    private OptimizingCompiler use = OptimizingCompiler.ALWAYS;
    /** Whether this pushed its directive and has not popped it. */
    private boolean pushed;

    public StartupCompilation() {
        this(VmFlags::hotSpot);
    }

    StartupCompilation(Supplier<VmFlags> jvm) {
        this.jvm = jvm;
    }

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> type) {
        return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
                || ApplicationReadyEvent.class.isAssignableFrom(type);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            try {
                use = Binder.get(prepared.getEnvironment())
                        .bind(PROPERTY, OptimizingCompiler.class)
                        .orElse(OptimizingCompiler.ALWAYS);
            } catch (BindException e) {
                return; // the settings' own binding refuses the start, naming the property
            }
            if (use == OptimizingCompiler.ALWAYS) {
                return;
            }
            VmFlags flags = jvm.get();
            String chosenElsewhere = chosenOnTheCommandLine(flags);
            if (chosenElsewhere != null) {
                log.atWarn().log("{}={} ignored: {}", PROPERTY, use, chosenElsewhere);
                return;
            }
            flags.addCompilerDirectives(NO_C2);
            pushed = oursOnTop(flags);
            if (!pushed) {
                log.atWarn().log("{}={} ignored: the JVM did not take the compiler directive", PROPERTY, use);
            } else {
                log.atInfo().log("The optimizing compiler (C2) kept out ({})", use);
            }
        } else if (event instanceof ApplicationReadyEvent && use == OptimizingCompiler.AFTER_START && pushed) {
            VmFlags flags = jvm.get();
            if (!oursOnTop(flags)) {
                log.atWarn()
                        .log(
                                "The optimizing compiler (C2) still kept out: another compiler directive was pushed over it");
                return;
            }
            pushed = !flags.removeCompilerDirective();
            log.atInfo().log("The optimizing compiler (C2) let in");
        }
    }

    /** Whether the directive on top of the JVM's stack is this class's (its first {@code matching:} line). */
    static boolean oursOnTop(VmFlags flags) {
        return flags.compilerDirectives()
                .flatMap(printed -> printed.lines()
                        .filter(line -> line.contains("matching:"))
                        .findFirst())
                .map(line -> line.contains(MARKER))
                .orElse(false);
    }

    /**
     * Why this JVM's compilers are not this setting's to choose, or null: tiered compilation up to
     * C2 as the JVM chose it is needed (with C2 alone, an excluded method would never be compiled).
     */
    private static String chosenOnTheCommandLine(VmFlags flags) {
        if (!flags.value("TieredCompilation").orElse("").equals("true")) {
            return "no tiered compilation in this JVM";
        }
        for (String flag : List.of("TieredStopAtLevel", "CompilationMode", "CompilerDirectivesFile")) {
            if (flags.given(flag)) {
                return "-XX:" + flag + " was given";
            }
        }
        if (!flags.value("TieredStopAtLevel").orElse("").equals("4")) {
            return "this JVM stops below C2";
        }
        if (flags.value("UseJVMCICompiler").orElse("").equals("true")) {
            return "this JVM's optimizing compiler is a JVMCI one";
        }
        return null;
    }
}
