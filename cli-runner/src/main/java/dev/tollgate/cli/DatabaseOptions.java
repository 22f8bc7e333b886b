package dev.tollgate.cli;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.DatabaseSettings;
import dev.tollgate.core.db.SchemaName;
import dev.tollgate.core.deploy.DeploySpec;
import dev.tollgate.core.deploy.DeploySpecLoader;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.runs.template.RunTemplate;
import dev.tollgate.core.runs.template.TemplateCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every command that talks to the run queue shares: where the database is, which
 * schema, the project root, the output format and {@code --verbose}.
 *
 * <p>With no URL, Tollgate starts (or attaches to) an embedded PostgreSQL whose data lives under
 * {@code <dir>/.tollgate/postgres}, and migrates it; an external database must have been migrated
 * with {@code tollgate db migrate} (or pass {@code --migrate}). An empty URL is refused rather than
 * taken for "none".
 */
final class DatabaseOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      defaultValue = "${env:TOLLGATE_DATABASE_URL}",
      description =
          "PostgreSQL to use: jdbc:postgresql://host:port/db or postgres://user:pass@host:port/db"
              + " (default: $TOLLGATE_DATABASE_URL; without either, an embedded server with its"
              + " data under <dir>/.tollgate/postgres).")
  String databaseUrl;

  @Option(
      names = "--schema",
      paramLabel = "NAME",
      defaultValue = "${env:TOLLGATE_SCHEMA:-tollgate}",
      description = "Schema holding Tollgate's tables (default: ${DEFAULT-VALUE}).")
  String schema;

  @Option(
      names = "--migrate",
      description = "Apply missing migrations before the command (always done for embedded).")
  boolean migrate;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "Project root holding .tollgate/ (default: ${DEFAULT-VALUE}).")
  String dir;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print stack traces of unexpected failures.")
  boolean verbose;

  /** Whether the output is JSON; a bad {@code --format} is a usage error. */
  boolean json() {
    return BoardOptions.json(format, this::usage);
  }

  /** The project root, absolute; a missing folder is a usage error. */
  Path root() {
    return BoardOptions.root(dir, this::usage).toAbsolutePath().normalize();
  }

  /**
   * Opens the database, migrating it when embedded or asked to, and refusing a schema that is
   * behind this Tollgate.
   */
  Database open(int poolSize) {
    json();
    String checkedSchema;
    try {
      checkedSchema = SchemaName.check(schema);
    } catch (TollgateException e) {
      throw usage("--schema: " + e.getMessage().replaceFirst("^schema name: ", ""));
    }
    Optional<DatabaseSettings> settings = settings();
    boolean embedded = settings.isEmpty();
    Database db =
        embedded
            ? Database.embedded(root().resolve(".tollgate/postgres"), checkedSchema, poolSize)
            : Database.connect(settings.get(), checkedSchema, poolSize);
    try {
      if (embedded || migrate) {
        Migrations.apply(db.dataSource(), db.schema());
      } else {
        int current = Migrations.currentVersion(db.dataSource(), checkedSchema);
        if (current < Migrations.latestVersion()) {
          throw new TollgateException(
              TollgateException.Kind.COULD_NOT_FINISH,
              "schema "
                  + checkedSchema
                  + " is at version "
                  + current
                  + " and this Tollgate needs "
                  + Migrations.latestVersion()
                  + "; run `tollgate db migrate` (or pass --migrate)");
        }
      }
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * The server {@code --database-url} (or {@code $TOLLGATE_DATABASE_URL}) names, or empty for the
   * embedded server when neither is given.
   *
   * @throws ParameterException when the URL is empty or names a part the driver refuses (a port, a
   *     property value, a factory class), so that a typo never silently means "embedded"
   */
  Optional<DatabaseSettings> settings() {
    if (databaseUrl == null) {
      return Optional.empty();
    }
    if (databaseUrl.isBlank()) {
      boolean given = mixee.commandLine().getParseResult().hasMatchedOption("--database-url");
      throw usage(
          "--database-url: expected jdbc:postgresql://host:port/db or"
              + " postgres://user:password@host:port/db but "
              + (given
                  ? "the option is empty; leave it out to use the embedded server"
                  : "TOLLGATE_DATABASE_URL is set and empty; unset it to use the embedded server"));
    }
    try {
      return Optional.of(DatabaseSettings.parse(databaseUrl));
    } catch (TollgateException e) {
      throw usage("--database-url: " + e.getMessage().replaceFirst("^database URL: ", ""));
    }
  }

  /**
   * The project's run templates; a problem in a template file is bad input naming the file under
   * {@code --dir} (see {@link ProjectPaths}).
   */
  TemplateCatalog templates() {
    Path root = root();
    try {
      return TemplateCatalog.forProject(root);
    } catch (TollgateException e) {
      throw located(e);
    }
  }

  /** The template called {@code name}; an unknown name is bad input like a broken template. */
  RunTemplate template(TemplateCatalog catalog, String name) {
    try {
      return catalog.get(name);
    } catch (TollgateException e) {
      throw located(e);
    }
  }

  /**
   * The deploy spec of {@code environment}; a problem in a spec file, or an unknown environment, is
   * bad input naming the file under {@code --dir} (see {@link ProjectPaths}).
   */
  DeploySpec deploySpec(String environment) {
    Path root = root();
    try {
      return DeploySpecLoader.load(root, environment);
    } catch (TollgateException e) {
      throw located(e);
    }
  }

  /** {@code e} with every diagnostic's file shown under {@code --dir}. */
  TollgateException located(TollgateException e) {
    return ProjectPaths.located(dir, e);
  }

  /** How a path inside the project is shown: {@code --dir} with a trailing {@code /}. */
  String prefix() {
    return ProjectPaths.prefix(dir);
  }

  PrintWriter out() {
    return mixee.commandLine().getOut();
  }

  PrintWriter err() {
    return mixee.commandLine().getErr();
  }

  ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
