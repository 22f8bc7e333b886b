package dev.tollgate.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a project folder for tests: a policy, work items and prompt files. */
final class Project {
  static final String POLICY =
      String.join(
          "\n",
          "version: 1",
          "lanes:",
          "  backlog:",
          "  ready:",
          "  in-progress:",
          "    title: In progress",
          "    wip_limit: 2",
          "  review:",
          "  done:",
          "    terminal: true",
          "transitions:",
          "  backlog: [ready]",
          "  ready: [in-progress, backlog]",
          "  in-progress: [review, ready]",
          "  review: [done, in-progress]",
          "epics:",
          "  BF: {title: Billing fixes}",
          "teams:",
          "  platform: [alice, bob]",
          "permissions:",
          "  factory.work-item.execute: {teams: [platform]}",
          "  factory.work-item.review: {users: [carol]}",
          "  factory.work-item.ship: {users: [carol]}",
          "actions:",
          "  start-execution:",
          "    from: [ready]",
          "  ship:",
          "    title: Ship",
          "    permission: factory.work-item.ship",
          "    gates: [permission, pull-request]",
          "    from: [review]",
          "    to: done",
          "");

  final Path root;

  Project(Path root) {
    this.root = root;
  }

  Project policy(String text) {
    return file(".tollgate/policy.yml", text);
  }

  Project item(String id, String lane, String status, String... extra) {
    StringBuilder b = new StringBuilder();
    b.append("id: ").append(id).append("\ntitle: Item ").append(id).append("\nlane: ").append(lane);
    b.append("\nstatus: ").append(status).append('\n');
    for (String e : extra) {
      b.append(e).append('\n');
    }
    return file("work-items/" + id + ".yml", b.toString());
  }

  Project prompt(String id) {
    return file("work-items/prompts/" + id + ".prompt.md", "# Context for " + id + "\n");
  }

  Project file(String rel, String text) {
    try {
      Path p = root.resolve(rel);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String read(String rel) {
    try {
      return Files.readString(root.resolve(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
