package dev.tollgate.cli.runs;

import dev.tollgate.actions.report.JsonText;
import dev.tollgate.cli.common.DatabaseOptions;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.RunnerEnvironment;
import dev.tollgate.cli.common.Session;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.runs.Enqueued;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.template.RunParams;
import dev.tollgate.core.runs.template.RunTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate runs enqueue}: checks parameters against a template's schema and puts a run in
 * the queue, recording the exact template definition it will run with.
 */
@Command(
    name = "enqueue",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Enqueue a run of TEMPLATE (.tollgate/templates/TEMPLATE.yml). Parameters are checked"
          + " against the template's schema first; the run keeps the template's definition, so"
          + " editing the file later does not change queued runs.",
      "Values of writeOnly (secret) parameters are shown as ***, never searched, and stored"
          + " encrypted with the key in $TOLLGATE_SECRET_KEY (base64 of 32 bytes), which the"
          + " workers need too; without it such a value is refused.",
      "Exit codes: 0 enqueued (or an existing live run returned for the idempotency key), 2 bad"
          + " input, 3 could not finish."
    })
public final class RunsEnqueueCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db;

  @Parameters(index = "0", paramLabel = "TEMPLATE", description = "The template's name.")
  String template;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=VALUE",
      description = "A parameter, typed by the template's schema (repeatable).")
  List<String> params = new ArrayList<>();

  @Option(
      names = "--params-file",
      paramLabel = "FILE",
      description = "Parameters from a YAML or JSON mapping; --param values win.")
  Path paramsFile;

  @Option(names = "--lane", paramLabel = "LANE", description = "Lane (default: the template's).")
  String lane;

  @Option(
      names = "--priority",
      paramLabel = "N",
      defaultValue = "0",
      description = "Higher runs first within the lane, -1000..1000 (default: ${DEFAULT-VALUE}).")
  int priority;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description =
          "While a run with this key is queued or running, return it instead of enqueuing another.")
  String idempotencyKey;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description = "Attempts allowed if workers die (default: the template's).")
  Integer maxAttempts;

  @Override
  public Integer call() {
    boolean json = db.json();
    RunTemplate t = db.template(db.templates(), template);
    // Shown as typed: a path the user gave opens from where they stand already.
    RunParams given =
        paramsFile == null
            ? RunParams.empty()
            : RunParams.read(paramsFile, paramsFile.toString().replace('\\', '/'));
    RunParams all = given.with(t.parseParams(params));
    NewRun run;
    try {
      run =
          t.newRun(all)
              .cipher(() -> RunnerEnvironment.cipher(db.environment()))
              .lane(lane)
              .priority(priority)
              .maxAttempts(maxAttempts)
              .idempotencyKey(idempotencyKey)
              .build();
    } catch (IllegalArgumentException e) {
      throw db.usage(e.getMessage());
    }
    try (Session s = Session.open(db)) {
      Enqueued result = s.queue().enqueue(run);
      if (json) {
        var node = RunViews.json(result.run());
        node.put("created", result.created());
        db.out().println(JsonText.pretty(node));
      } else {
        db.out()
            .println(
                (result.created()
                        ? "enqueued "
                        : "already queued with key " + idempotencyKey + ": ")
                    + RunViews.line(result.run()));
      }
    }
    return ExitCode.OK;
  }
}
