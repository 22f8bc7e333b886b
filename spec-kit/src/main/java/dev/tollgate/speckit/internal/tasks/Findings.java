package dev.tollgate.speckit.internal.tasks;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.speckit.internal.shared.RuleCatalog;
import dev.tollgate.speckit.internal.shared.SourceFile;
import java.util.ArrayList;
import java.util.List;

/** The findings of one tasks.md check, each placed inside the file. */
final class Findings {
  private final SourceFile file;
  private final List<Diagnostic> out = new ArrayList<>();

  Findings(SourceFile file) {
    this.file = file;
  }

  /** A finding of a rule at its default severity. */
  void add(String rule, int line, int column, String message, String hint) {
    add(rule, RuleCatalog.require(rule).defaultSeverity(), line, column, message, hint);
  }

  /** A finding with a severity chosen by the case (rules marked E/W). */
  void add(String rule, Severity severity, int line, int column, String message, String hint) {
    out.add(Diagnostic.of(severity, rule, message, file.at(line, column), hint));
  }

  /** A finding placed in another file (a spec the tasks should cover). */
  void addAt(String rule, Severity severity, Location location, String message, String hint) {
    out.add(Diagnostic.of(severity, rule, message, location, hint));
  }

  List<Diagnostic> sorted() {
    List<Diagnostic> copy = new ArrayList<>(out);
    copy.sort(null);
    return List.copyOf(copy);
  }
}
