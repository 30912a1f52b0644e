package org.jobstack.config;

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
 * directives were set on its command line, is left alone. Added to the server's application only.
 */
public class StartupCompilation implements SmartApplicationListener {

    private static final Logger log = LoggerFactory.getLogger(StartupCompilation.class);

    static final String PROPERTY = "jobstack.jit.optimizing-compiler";
    /** Every method: compiled by C1 only, as with {@code -XX:TieredStopAtLevel=1}. */
    static final String NO_C2 = "[{ match: \"*.*\", c2: { Exclude: true } }]";

    /** After logging starts (+20), long before the context's refresh. */
    private static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 30;

    private final VmFlags flags;
    private OptimizingCompiler use = OptimizingCompiler.ALWAYS;
    /** How many directives this pushed and has not popped yet. */
    private int pushed;

    public StartupCompilation() {
        this(VmFlags.hotSpot());
    }

    StartupCompilation(VmFlags flags) {
        this.flags = flags;
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
            if (use != OptimizingCompiler.ALWAYS && tieredUpToC2() && !flags.given("CompilerDirectivesFile")) {
                pushed = flags.addCompilerDirectives(NO_C2);
                log.atDebug().log("Optimizing compiler kept out ({}): {} directives", use, pushed);
            }
        } else if (event instanceof ApplicationReadyEvent && use == OptimizingCompiler.AFTER_START) {
            while (pushed > 0 && flags.removeCompilerDirective()) {
                pushed--;
            }
            log.atDebug().log("Optimizing compiler let in, {} directives left", pushed);
        }
    }

    /** Tiered compilation up to C2, as the JVM chose it (an option on the command line wins). */
    private boolean tieredUpToC2() {
        return flags.value("TieredCompilation").orElse("").equals("true")
                && flags.value("TieredStopAtLevel").orElse("").equals("4")
                && !flags.given("TieredStopAtLevel")
                && !flags.value("UseJVMCICompiler").orElse("").equals("true");
    }
}
