package dev.tollgate.examples.embedding;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaEnumConstant;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.tollgate.core.config.Durations;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The example is what an embedder may write: it uses Tollgate only through types marked
 * {@code @API(status = STABLE)} or {@code EXPERIMENTAL}, plus the JDK and Jackson.
 */
class OnlyApiTypesTest {
  private static final String API = "org.apiguardian.api.API";
  private static final Set<String> SUPPORTED = Set.of("STABLE", "EXPERIMENTAL");

  /** Every Tollgate class on the class path (their annotations are read from the jars). */
  private static final JavaClasses TOLLGATE =
      new ClassFileImporter()
          .withImportOption(location -> !location.contains("-tests.jar"))
          .withImportOption(location -> !location.contains("/test-classes/"))
          .importPackages("dev.tollgate");

  @Test
  void the_example_uses_only_supported_api_types_the_jdk_and_jackson() {
    assertThat(TOLLGATE.contain(EmbeddingExample.class)).isTrue();
    rule().check(TOLLGATE);
  }

  @Test
  void the_rule_refuses_a_class_that_uses_internal_plumbing() {
    JavaClasses withFixture =
        new ClassFileImporter().importClasses(UsesPlumbing.class, Durations.class);
    assertThatThrownBy(() -> rule().check(withFixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("UsesPlumbing")
        .hasMessageContaining("Durations");
  }

  private static ArchRule rule() {
    return classes()
        .that()
        .resideInAPackage("dev.tollgate.examples..")
        .should(useOnlySupportedApi())
        .because("docs/embedding.md promises that an embedder needs nothing else");
  }

  private static ArchCondition<JavaClass> useOnlySupportedApi() {
    return new ArchCondition<>(
        "use only @API STABLE/EXPERIMENTAL Tollgate types, the JDK, Jackson") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        for (Dependency d : item.getDirectDependenciesFromSelf()) {
          JavaClass target = d.getTargetClass();
          while (target.isArray()) {
            target = target.getComponentType();
          }
          if (!allowed(target)) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }

  private static boolean allowed(JavaClass target) {
    String pkg = target.getPackageName();
    if (target.isPrimitive()
        || pkg.startsWith("java.")
        || pkg.startsWith("javax.")
        || pkg.startsWith("com.fasterxml.jackson.")
        || pkg.startsWith("dev.tollgate.examples")) {
      return true;
    }
    if (!pkg.startsWith("dev.tollgate.")) {
      return false;
    }
    JavaClass top = target;
    while (top.getEnclosingClass().isPresent()) {
      top = top.getEnclosingClass().get();
    }
    return status(top).map(SUPPORTED::contains).orElse(false);
  }

  private static Optional<String> status(JavaClass type) {
    return type.tryGetAnnotationOfType(API)
        .flatMap((JavaAnnotation<JavaClass> a) -> a.get("status"))
        .map(v -> ((JavaEnumConstant) v).name());
  }

  /** Uses {@code Durations}, which is {@code @API(status = INTERNAL)}: the rule must refuse it. */
  static final class UsesPlumbing {
    static String format(Duration d) {
      return Durations.format(d);
    }
  }
}
