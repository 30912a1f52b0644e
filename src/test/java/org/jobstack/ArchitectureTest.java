package org.jobstack;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameContaining;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.stream.Stream;
import org.jobstack.cli.ClientJar;
import org.springframework.stereotype.Repository;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.RestController;

/** Layering rules that keep the feature packages honest. */
@AnalyzeClasses(packages = "org.jobstack", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The web, HTTP and servlet types, and Jobstack's own JSON:API edge. */
    private static final String[] WEB = {
        "org.jobstack.web..", "org.springframework.web..", "org.springframework.http..", "jakarta.servlet.."
    };

    @ArchTest
    static final ArchRule no_package_depends_on_a_package_that_depends_on_it =
            slices().matching("org.jobstack.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule only_the_web_edge_uses_web_and_json_api_types = noClasses()
            .that(not(resideInAnyPackage("org.jobstack.web..", "org.jobstack.dashboard..", "org.jobstack.auth..")))
            .and(not(simpleNameEndingWith("Controller")))
            .and(not(simpleNameEndingWith("Documents")))
            .and(not(simpleNameEndingWith("Stream")))
            .and(not(simpleNameContaining("WebSocket")))
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(WEB)
            .because(
                    "controllers, *Documents (JSON:API shapes), *Stream (Server-Sent Events), *WebSocket* (websockets), "
                            + "request authentication and the dashboard are the web edge; the rest speaks the domain");

    @ArchTest
    static final ArchRule the_dashboard_uses_public_services_not_the_engine_or_the_database = noClasses()
            .that()
            .resideInAPackage("org.jobstack.dashboard..")
            .should()
            .dependOnClassesThat(annotatedWith(Repository.class))
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.jobstack.job.run..",
                    "org.jobstack.exec..",
                    "org.springframework.jdbc..",
                    "org.springframework.data..");

    @ArchTest
    static final ArchRule the_cli_never_touches_spring_or_the_server = noClasses()
            .that()
            .resideInAPackage("org.jobstack.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..",
                    "jakarta..",
                    "org.hibernate..",
                    "org.jobstack.job..",
                    "org.jobstack.app..",
                    "org.jobstack.trigger..",
                    "org.jobstack.instance..",
                    "org.jobstack.node..",
                    "org.jobstack.config..",
                    "org.jobstack.web..");

    /** What the client's own jar ({@link ClientJar}) puts on its classpath: the JDK, Jobstack, the client libraries. */
    private static final String[] CLIENT_CLASSPATH = Stream.concat(
                    Stream.of(
                            "java..",
                            "javax..",
                            "jdk..",
                            "sun..",
                            "com.sun.net.httpserver..",
                            "org.w3c..",
                            "org.xml..",
                            "org.jobstack.."),
                    ClientJar.CLIENT_LIBRARY_PACKAGES.stream().map(p -> p + ".."))
            .toArray(String[]::new);

    @ArchTest
    static final ArchRule the_cli_reaches_only_the_libraries_of_its_own_classpath = noClasses()
            .that()
            .resideInAPackage("org.jobstack.cli..")
            .should()
            .transitivelyDependOnClassesThat(not(resideInAnyPackage(CLIENT_CLASSPATH)))
            .because("client commands run from a jar whose classpath holds only the client libraries (ClientJar)");

    @ArchTest
    static final ArchRule sql_lives_in_stores = noClasses()
            .that(not(annotatedWith(Repository.class)))
            .and(not(simpleNameEndingWith("Impl")))
            .and()
            .doNotHaveFullyQualifiedName("org.jobstack.common.Database")
            .and()
            .doNotHaveFullyQualifiedName("org.jobstack.common.LockingReads")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.jdbc..")
            .because("each table has one owner: a store (or a repository's SQL fragment)");

    @ArchTest
    static final ArchRule the_engine_carries_json_as_text = noClasses()
            .that()
            .resideInAnyPackage("org.jobstack.job.run..", "org.jobstack.node..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("tools.jackson..", "com.fasterxml..");

    @ArchTest
    static final ArchRule services_and_repositories_do_not_speak_http = noClasses()
            .that()
            .areAnnotatedWith(Service.class)
            .or()
            .areAnnotatedWith(Repository.class)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(WEB);

    @ArchTest
    static final ArchRule controllers_are_named_so =
            classes().that().areAnnotatedWith(RestController.class).should().haveSimpleNameEndingWith("Controller");

    @ArchTest
    static final ArchRule the_core_model_does_not_depend_on_features = noClasses()
            .that()
            .resideInAnyPackage("org.jobstack.common..", "org.jobstack.permission..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.jobstack.job..",
                    "org.jobstack.app..",
                    "org.jobstack.trigger..",
                    "org.jobstack.event..",
                    "org.jobstack.exec..",
                    "org.jobstack.auth..",
                    "org.jobstack.instance..",
                    "org.jobstack.node..",
                    "org.jobstack.web..",
                    "com.fasterxml..");
}
