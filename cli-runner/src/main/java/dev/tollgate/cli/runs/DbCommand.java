package dev.tollgate.cli.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.cli.common.DatabaseOptions;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.DatabaseSettings;
import dev.tollgate.core.db.Migrations;
import dev.tollgate.core.db.SchemaName;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tollgate db}: the database's schema. */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Manage Tollgate's PostgreSQL schema.",
    subcommands = {DbCommand.Migrate.class})
public final class DbCommand {

  /** {@code tollgate db migrate}: applies the shipped migrations the schema lacks. */
  @Command(
      name = "migrate",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "Apply the migrations this Tollgate ships that the schema lacks, each once, in order, in"
            + " its own transaction. A schema newer than this Tollgate is refused.",
        "Exit codes: 0 migrated (or already current), 2 bad input, 3 could not finish."
      })
  static final class Migrate implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Override
    public Integer call() {
      boolean json = db.json();
      try (Database database = openWithoutCheck()) {
        Migrations.Result result = database.migrate();
        if (json) {
          ObjectNode node = JsonText.mapper().createObjectNode();
          node.put("schema", database.schema());
          node.put("version", result.current());
          result.applied().forEach(node.putArray("applied")::add);
          db.out().println(JsonText.pretty(node));
        } else if (result.applied().isEmpty()) {
          db.out()
              .println(
                  "schema " + database.schema() + " is current (version " + result.current() + ")");
        } else {
          db.out()
              .println(
                  "schema "
                      + database.schema()
                      + ": applied "
                      + result.applied()
                      + ", now at version "
                      + result.current());
        }
      }
      return ExitCode.OK;
    }

    private Database openWithoutCheck() {
      String schema;
      try {
        schema = SchemaName.check(db.schema);
      } catch (TollgateException e) {
        throw db.usage("--schema: " + e.getMessage().replaceFirst("^schema name: ", ""));
      }
      Optional<DatabaseSettings> settings = db.settings();
      return settings.isEmpty()
          ? Database.embedded(db.root().resolve(".tollgate/postgres"), schema, 2)
          : Database.connect(settings.get(), schema, 2);
    }
  }
}
