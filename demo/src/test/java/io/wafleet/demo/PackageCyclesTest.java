package io.wafleet.demo;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md's rule that packages do not import each other in a cycle, over the main code of every module (this
 * module has them all on its classpath; generated Avro records and tests are left out).
 */
class PackageCyclesTest {

    @Test
    void noPackageOfAnyModuleIsInAnImportCycle() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/io/wafleet/avro/"))
                .importPackages("io.wafleet");

        // Every module's code is there, from its jar or its classes folder.
        assertThat(classes.contain("io.wafleet.router.select.Selector")).isTrue();
        assertThat(classes.contain("io.wafleet.sink.AuditSink")).isTrue();
        assertThat(classes.contain("io.wafleet.service.TopicListener")).isTrue();
        assertThat(classes.contain("io.wafleet.client.ServerClients")).isTrue();
        slices().matching("io.wafleet.(**)").should().beFreeOfCycles().check(classes);
    }
}
