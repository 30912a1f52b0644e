package org.jobstack;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.stereotype.Repository;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.RestController;

/** Layering rules that keep the feature packages honest. */
@AnalyzeClasses(packages = "org.jobstack", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule feature_packages_have_no_cycles =
            slices().matching("org.jobstack.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule the_cli_never_touches_spring_or_the_server =
            noClasses().that().resideInAPackage("org.jobstack.cli..")
                    .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..",
                            "org.hibernate..", "org.jobstack.job..", "org.jobstack.app..", "org.jobstack.trigger..",
                            "org.jobstack.instance..", "org.jobstack.config..", "org.jobstack.web..");

    @ArchTest
    static final ArchRule services_and_repositories_do_not_speak_http =
            noClasses().that().areAnnotatedWith(Service.class).or().areAnnotatedWith(Repository.class)
                    .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "org.springframework.http..",
                            "org.jobstack.web..");

    @ArchTest
    static final ArchRule controllers_are_named_so =
            classes().that().areAnnotatedWith(RestController.class).should().haveSimpleNameEndingWith("Controller");

    @ArchTest
    static final ArchRule the_core_model_does_not_depend_on_features =
            noClasses().that().resideInAnyPackage("org.jobstack.common..", "org.jobstack.permission..")
                    .should().dependOnClassesThat().resideInAnyPackage("org.jobstack.job..", "org.jobstack.app..",
                            "org.jobstack.trigger..", "org.jobstack.event..", "org.jobstack.exec..",
                            "org.jobstack.auth..", "org.jobstack.instance..");
}
