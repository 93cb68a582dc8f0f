package com.pictura.api.platform;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * No import loops between the feature packages of a module (domain, projections, billing, api): a package can be
 * read, and moved, with what it uses and never with what uses it. The api module sees every module's classes,
 * so the rule for all of them lives here.
 */
class ArchitectureTest {

    private static final JavaClasses PICTURA = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("com.pictura");

    @Test
    void thePackagesOfEachModuleAreFreeOfCycles() {
        slices().matching("com.pictura.(*).(*)..").namingSlices("$1.$2").should().beFreeOfCycles()
                .check(PICTURA);
    }
}
