package dev.tollgate.cli.common;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.DatabaseSettings;
import dev.tollgate.core.db.SchemaName;
import dev.tollgate.core.deploy.DeploySpec;
import dev.tollgate.core.deploy.DeploySpecLoader;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.runs.template.RunTemplate;
import dev.tollgate.core.runs.template.TemplateCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every command that talks to the run queue shares: where the database is, which
 * schema, the project root, the output format and {@code --verbose}.
 *
 * <p>With no URL, Tollgate starts (or attaches to) an embedded PostgreSQL whose data lives under
 * {@code <dir>/.tollgate/postgres}, and migrates it; an external database must have been migrated
 * with {@code tollgate db migrate} (or pass {@code --migrate}). An empty URL is refused rather than
 * taken for "none".
 */
public final class DatabaseOptions extends ProjectOptions {
  private final Seams seams;

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
  public String schema;

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

  @Mixin OutputOptions output;

  /** Options reading the clock and the environment of {@code seams}. */
  public DatabaseOptions(Seams seams) {
    this.seams = seams;
  }

  /** The clock, the process environment and the waits of the command line. */
  public Seams seams() {
    return seams;
  }

  /** The clock the command reads "now" from. */
  public Clock clock() {
    return seams.clock();
  }

  /** The process environment: what steps inherit, the secret key, the variables to mask. */
  public Map<String, String> environment() {
    return seams.environment();
  }

  /** Whether the output is JSON; a bad {@code --format} is a usage error. */
  public boolean json() {
    return output.json(this::usage);
  }

  /** Whether {@code --verbose} was given. */
  public boolean verbose() {
    return output.verbose();
  }

  /** The project root, absolute; a missing folder is a usage error. */
  public Path root() {
    return givenRoot().toAbsolutePath().normalize();
  }

  /**
   * Opens the database, migrating it when embedded or asked to, and refusing a schema that is
   * behind this Tollgate.
   */
  public Database open(int poolSize) {
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
  public Optional<DatabaseSettings> settings() {
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
  public TemplateCatalog templates() {
    return load(root(), TemplateCatalog::forProject);
  }

  /** The template called {@code name}; an unknown name is bad input like a broken template. */
  public RunTemplate template(TemplateCatalog catalog, String name) {
    return load(root(), root -> catalog.get(name));
  }

  /**
   * The deploy spec of {@code environment}; a problem in a spec file, or an unknown environment, is
   * bad input naming the file under {@code --dir} (see {@link ProjectPaths}).
   */
  public DeploySpec deploySpec(String environment) {
    return load(root(), root -> DeploySpecLoader.load(root, environment));
  }

  @Override
  public String dir() {
    return dir;
  }
}
