package io.s3logger.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import static org.assertj.core.api.Assertions.assertThat;
import org.junit.jupiter.api.Test;

/** The hexagon's rule: dependencies point inwards; the domain needs the JDK only. */
class DependencyRuleTest {

    /** Test classes come from test-classes directories and from test-jars (the domain's fakes and contract). */
    private static final ImportOption PRODUCTION_ONLY = location ->
            !location.contains("/test-classes/") && !location.contains("-tests.jar");

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(PRODUCTION_ONLY)
            .importPackages("io.s3logger");

    @Test
    void theRulesSeeEveryModule() {
        for (String module : new String[] {"domain", "adapter.tcp", "adapter.fs", "adapter.s3", "bootstrap"}) {
            assertThat(PRODUCTION.containPackage("io.s3logger." + module)).as(module).isTrue();
        }
    }

    @Test
    void domainDependsOnTheJdkOnly() {
        classes().that().resideInAPackage("io.s3logger.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.s3logger.domain..", "java..")
                .check(PRODUCTION);
    }

    @Test
    void adaptersNeverDependOnEachOther() {
        String[] adapters = {"tcp", "fs", "s3"};
        for (String adapter : adapters) {
            for (String other : adapters) {
                if (!adapter.equals(other)) {
                    noClasses().that().resideInAPackage("io.s3logger.adapter." + adapter + "..")
                            .should().dependOnClassesThat().resideInAPackage("io.s3logger.adapter." + other + "..")
                            .check(PRODUCTION);
                }
            }
        }
    }

    @Test
    void nothingButBootstrapDependsOnBootstrap() {
        noClasses().that().resideOutsideOfPackage("io.s3logger.bootstrap..")
                .should().dependOnClassesThat().resideInAPackage("io.s3logger.bootstrap..")
                .check(PRODUCTION);
    }

    @Test
    void onlyBootstrapReadsConfigurationOrUsesDagger() {
        noClasses().that().resideOutsideOfPackage("io.s3logger.bootstrap..")
                .should().dependOnClassesThat().resideInAnyPackage("com.typesafe.config..", "dagger..", "javax.inject..")
                .check(PRODUCTION);
    }
}
