package dev.tollgate.core.report;

import static org.apiguardian.api.API.Status.STABLE;

import dev.tollgate.core.Diagnostic;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A named part of a {@link Report}, such as one Spec Kit feature, with the findings that belong to
 * it; renderers show one table or block per section.
 *
 * @param name what a person calls it, e.g. {@code 001-login}
 * @param path its folder or file relative to the project root, {@code /}-separated; empty for the
 *     project itself
 * @param findings its findings in stable order
 */
@API(status = STABLE, since = "0.1.0")
public record Section(String name, String path, List<Diagnostic> findings) {

  /** Copies and sorts the findings. */
  public Section {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    findings = findings.stream().sorted().toList();
  }
}
