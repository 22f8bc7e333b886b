package dev.tollgate.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of DESIGN.md, checked on every module's production classes at once (this module
 * has them all on its class path).
 */
class ArchitectureTest {
  private static JavaClasses classes;

  /** Which modules each module may depend on (module = second package segment). */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "core", Set.of("core"),
          "speckit", Set.of("speckit", "core"),
          "policy", Set.of("policy", "speckit", "core"),
          "actions", Set.of("actions", "policy", "speckit", "core"),
          "controlplane", Set.of("controlplane", "policy", "speckit", "core"),
          "cli", Set.of("cli", "controlplane", "actions", "policy", "speckit", "core"));

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            // Jars stay in: under `verify` the sibling modules are on the class path as their
            // packaged jars, not as target/classes folders. Only dev.tollgate packages are read.
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // The core test-jar (shared fixtures) is test code too.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.tollgate");
  }

  @Test
  void every_module_is_imported() {
    for (String module : ALLOWED.keySet()) {
      org.assertj.core.api.Assertions.assertThat(
              classes.stream().anyMatch(c -> module(c).equals(module)))
          .as("classes of module %s imported", module)
          .isTrue();
    }
  }

  @Test
  void only_the_cli_writes_to_stdout_or_stderr_or_exits() {
    ArchRule rule =
        noClasses()
            .that()
            .resideOutsideOfPackage("dev.tollgate.cli..")
            .should()
            .accessField(System.class, "out")
            .orShould()
            .accessField(System.class, "err")
            .orShould()
            .callMethod(System.class, "exit", int.class)
            .orShould()
            .callMethod(Runtime.class, "exit", int.class)
            .orShould()
            .callMethod(Runtime.class, "halt", int.class)
            .because("only cli-runner talks to the terminal and decides the exit code");
    rule.check(classes);
  }

  @Test
  void core_depends_on_no_other_module_and_no_github_library() {
    noClasses()
        .that()
        .resideInAPackage("dev.tollgate.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tollgate.speckit..",
            "dev.tollgate.policy..",
            "dev.tollgate.actions..",
            "dev.tollgate.cli..")
        .check(classes);
  }

  @Test
  void modules_depend_only_down_the_chain() {
    ArchCondition<JavaClass> dependOnlyOnAllowedModules =
        new ArchCondition<>(
            "depend only on modules below them (cli→actions|control-plane→policy→spec-kit→core)") {
          @Override
          public void check(JavaClass item, ConditionEvents events) {
            String from = module(item);
            Set<String> allowed = ALLOWED.get(from);
            item.getDirectDependenciesFromSelf()
                .forEach(
                    d -> {
                      JavaClass target = d.getTargetClass();
                      if (!target.getPackageName().startsWith("dev.tollgate.")) {
                        return;
                      }
                      String to = module(target);
                      if (allowed == null || !allowed.contains(to)) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                      }
                    });
          }
        };
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
        .should(dependOnlyOnAllowedModules)
        .check(classes);
  }

  /** The one package whose classes may send SQL to the database. */
  private static final String JDBC = "dev.tollgate.core.db.internal.jdbc";

  /** The JDBC types that carry SQL text to the server or rows back from it. */
  private static final Set<String> SQL_TYPES =
      Set.of(
          "java.sql.Statement",
          "java.sql.PreparedStatement",
          "java.sql.CallableStatement",
          "java.sql.ResultSet");

  @Test
  void sql_lives_only_in_the_jdbc_package() {
    sqlOnlyInTheJdbcPackage().check(classes);
  }

  @Test
  void the_sql_rule_catches_a_statement_outside_the_jdbc_package() {
    JavaClasses fixture = new ClassFileImporter().importClasses(RunsSqlOutsideJdbc.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> sqlOnlyInTheJdbcPackage().check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("RunsSqlOutsideJdbc.count")
        .hasMessageContaining("prepareStatement");
  }

  /**
   * No class outside the JDBC package prepares, creates or executes a statement or reads a result
   * set: the migrations included, so every value is bound in one place.
   */
  private static ArchRule sqlOnlyInTheJdbcPackage() {
    return noClasses()
        .that()
        .resideOutsideOfPackage(JDBC)
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "are JDBC statements or result sets", c -> SQL_TYPES.contains(c.getName())))
        .orShould()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a java.sql.Connection method that makes a statement",
                (JavaMethodCall call) ->
                    call.getTargetOwner().getName().equals("java.sql.Connection")
                        && Set.of("prepareStatement", "prepareCall", "createStatement")
                            .contains(call.getName())))
        .because("all SQL sits in core's one JDBC package, every value bound (" + JDBC + ")");
  }

  /** Executes SQL outside the JDBC package: what the SQL rule must refuse. */
  static final class RunsSqlOutsideJdbc {
    static int count(Connection c) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM runs");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Test
  void no_cycles_between_modules() {
    slices().matching("dev.tollgate.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void no_cycles_between_packages() {
    // Every package is its own slice: an API package that reaches into its own internal package
    // (or two API packages that use each other) is a cycle, even inside one module.
    slices()
        .matching("dev.tollgate.(**)")
        .namingSlices("$1")
        .should()
        .beFreeOfCycles()
        .because("packages depend one way, so an API package never needs its internals")
        .check(classes);
  }

  @Test
  void internal_packages_are_not_used_by_other_modules() {
    for (String module : ALLOWED.keySet()) {
      // At any depth: core's internals sit in dev.tollgate.core.db.internal,
      // dev.tollgate.core.runs.exec.internal and so on, not in dev.tollgate.core.internal.
      noClasses()
          .that(notInModule(module))
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.tollgate." + module + "..internal..")
          .because("internal packages are implementation details of their module")
          .check(classes);
    }
  }

  @Test
  void the_internal_rule_sees_the_internals_of_every_module_that_has_them() {
    // A rule whose package pattern matches nothing passes vacuously; this keeps it honest.
    // (actions has no internal package: its REST client is package-private in actions.github.)
    for (String module : Set.of("core", "speckit", "policy")) {
      org.assertj.core.api.Assertions.assertThat(
              classes.stream()
                  .anyMatch(
                      c -> module(c).equals(module) && c.getPackageName().contains(".internal")))
          .as("internal classes of module %s are imported", module)
          .isTrue();
    }
  }

  /** The modules an embedder builds on; cli-runner and benchmarks are applications, not API. */
  private static final String[] LIBRARY_PACKAGES = {
    "dev.tollgate.core..",
    "dev.tollgate.speckit..",
    "dev.tollgate.policy..",
    "dev.tollgate.actions..",
    "dev.tollgate.controlplane.."
  };

  @Test
  void every_public_type_of_the_libraries_outside_internal_packages_declares_its_api_status() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
        .that()
        .resideInAnyPackage(LIBRARY_PACKAGES)
        .and()
        .resideOutsideOfPackage("..internal..")
        .and()
        .arePublic()
        .and()
        .areTopLevelClasses()
        .should()
        .beAnnotatedWith("org.apiguardian.api.API")
        .because(
            "an embedder must see whether a public type is STABLE, EXPERIMENTAL or INTERNAL"
                + " plumbing (docs/embedding.md)")
        .check(classes);
  }

  @Test
  void the_database_and_the_run_queue_need_neither_jgit_nor_cron_utils() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.tollgate.core.db..", "dev.tollgate.core.postgres..", "dev.tollgate.core.runs..")
        .should()
        .transitivelyDependOnClassesThat()
        .resideInAnyPackage("org.eclipse.jgit..", "com.cronutils..")
        .because(
            "tollgate-core marks JGit and cron-utils optional, so an embedder of the queue does"
                + " not get them (docs/embedding.md)")
        .check(classes);
  }

  @Test
  void only_the_session_starter_touches_jna() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("dev.tollgate.core.runs.exec.internal.SessionSpawn")
        .and()
        .resideOutsideOfPackage("com.sun.jna..")
        .and(
            DescribedPredicate.describe(
                "are not nested in SessionSpawn",
                (JavaClass c) ->
                    !c.getName().startsWith("dev.tollgate.core.runs.exec.internal.SessionSpawn$")))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.sun.jna..")
        .because(
            "tollgate-core marks JNA optional: one class loads it, behind a check that it is there,"
                + " and every other path works without it (docs/embedding.md)")
        .check(classes);
  }

  private static DescribedPredicate<JavaClass> notInModule(String module) {
    return DescribedPredicate.describe(
        "are not in module " + module, c -> !module(c).equals(module));
  }

  private static String module(JavaClass c) {
    String[] parts = c.getPackageName().split("\\.");
    return parts.length > 2 ? parts[2] : "";
  }
}
