package dev.tollgate.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateRegistryTest {
  static final Gate BUILT_IN = VerdictTest.gate("wip-limit", GateResult.pass("wip-limit", "ok"));

  /** A class loader that sees the test classes and a services file listing {@code classes}. */
  static ClassLoader withServices(Path dir, String... classes) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(Gate.class.getName()), String.join("\n", classes) + "\n");
    return new URLClassLoader(
        new URL[] {dir.toUri().toURL()}, GateRegistryTest.class.getClassLoader());
  }

  @Test
  void finds_custom_gates_through_the_service_loader(@TempDir Path dir) throws Exception {
    GateRegistry r =
        GateRegistry.of(List.of(BUILT_IN))
            .withServiceLoader(withServices(dir, ChangeFreezeGate.class.getName()));
    assertThat(r.ids()).containsExactly("change-freeze", "wip-limit");
    assertThat(r.isBuiltIn("change-freeze")).isFalse();
    assertThat(r.isBuiltIn("wip-limit")).isTrue();
    assertThat(r.find("change-freeze").orElseThrow().evaluate(TestContext.of()).status())
        .isEqualTo(GateStatus.BLOCKED);
  }

  @Test
  void a_custom_gate_may_not_reuse_a_built_in_id() {
    Gate impostor = VerdictTest.gate("wip-limit", GateResult.pass("wip-limit", "ok"));
    assertThatThrownBy(() -> GateRegistry.of(List.of(BUILT_IN)).with(List.of(impostor)))
        .isInstanceOf(TollgateException.class)
        .hasMessageEndingWith("reuses the id 'wip-limit' of a built-in gate; give it its own id");
  }

  @Test
  void an_unloadable_custom_gate_is_bad_input(@TempDir Path dir) throws Exception {
    ClassLoader loader = withServices(dir, "com.example.Missing");
    assertThatThrownBy(() -> GateRegistry.of(List.of()).withServiceLoader(loader))
        .isInstanceOf(TollgateException.class)
        .hasMessageStartingWith("a custom gate could not be loaded:")
        .hasMessageContaining("com.example.Missing");
  }

  @Test
  void two_built_ins_with_one_id_are_a_defect() {
    assertThatThrownBy(() -> GateRegistry.of(List.of(BUILT_IN, BUILT_IN)))
        .hasMessage("two built-in gates share the id 'wip-limit'");
  }
}
