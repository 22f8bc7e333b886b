package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.ConfigDocument;
import dev.tollgate.core.config.YamlConfig;
import dev.tollgate.core.workitem.internal.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The default work-item store: one YAML file per item, {@code work-items/<id>.yml} under the
 * project root, each checked against {@code work-item.schema.json}.
 *
 * <p>{@link #save} rewrites the item's file atomically (temporary file, then {@code ATOMIC_MOVE})
 * in a fixed key order; comments in a rewritten file are not kept. It refuses to overwrite a file
 * that changed on disk since it was read, so two writers cannot silently lose each other's edits.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class FileWorkItemStore implements WorkItemStore {
  /** The folder holding the item files, relative to the project root. */
  public static final String DIRECTORY = "work-items";

  private final Path root;
  private final AtomicFile.Mover mover;
  private final TreeMap<String, Entry> entries = new TreeMap<>();

  /** One loaded item: its file, what the file held when read, and where its values are. */
  private record Entry(
      Path file, String displayPath, byte[] bytes, ConfigDocument doc, WorkItem item) {}

  private FileWorkItemStore(Path root, AtomicFile.Mover mover) {
    this.root = root;
    this.mover = mover;
  }

  /**
   * Reads every {@code work-items/*.yml} under {@code projectRoot}; a missing folder is an empty
   * store.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} listing every invalid file and duplicate id
   *     with {@code file:line:column}
   */
  public static FileWorkItemStore open(Path projectRoot) {
    return open(projectRoot, AtomicFile.ATOMIC);
  }

  /** {@link #open(Path)} with another rename step; for tests that simulate failures. */
  static FileWorkItemStore open(Path projectRoot, AtomicFile.Mover mover) {
    FileWorkItemStore store =
        new FileWorkItemStore(Objects.requireNonNull(projectRoot, "projectRoot"), mover);
    store.loadAll();
    return store;
  }

  private void loadAll() {
    Path dir = root.resolve(DIRECTORY);
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.yml")) {
      ds.forEach(files::add);
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH, "cannot list " + DIRECTORY + "/: " + e, e);
    }
    files.sort(null);
    List<Diagnostic> errors = new ArrayList<>();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      String display = DIRECTORY + "/" + file.getFileName();
      byte[] bytes;
      ConfigDocument doc;
      try {
        bytes = YamlConfig.read(file, display);
        doc = YamlConfig.parse(bytes, display, WorkItemYaml.SCHEMA);
      } catch (TollgateException e) {
        errors.addAll(e.diagnostics());
        continue;
      }
      WorkItemYaml.Read read = WorkItemYaml.toItem(doc);
      errors.addAll(read.errors());
      if (read.item().isEmpty()) {
        continue;
      }
      WorkItem item = read.item().get();
      Entry first = entries.get(item.id());
      if (first != null) {
        errors.add(
            doc.error(
                "/id",
                "duplicate work item id '"
                    + item.id()
                    + "' (also in "
                    + first.doc().locate("/id")
                    + ")",
                "Give each work item its own id; the file name should be <id>.yml."));
        continue;
      }
      entries.put(item.id(), new Entry(file, display, bytes, doc, item));
    }
    if (!errors.isEmpty()) {
      throw YamlConfig.invalid(DIRECTORY, errors);
    }
  }

  /** The project root this store reads from. */
  public Path projectRoot() {
    return root;
  }

  @Override
  public synchronized List<WorkItem> list() {
    return entries.values().stream().map(Entry::item).toList();
  }

  @Override
  public synchronized Optional<WorkItem> find(String id) {
    return Optional.ofNullable(entries.get(id)).map(Entry::item);
  }

  /**
   * The file of item {@code id} as shown to users, e.g. {@code work-items/wi-BF-274.yml}; for an
   * unknown id, where {@link #save} would create it.
   */
  public synchronized String displayPath(String id) {
    Entry e = entries.get(id);
    return e != null ? e.displayPath() : DIRECTORY + "/" + id + ".yml";
  }

  @Override
  public synchronized Optional<Location> locate(String id, String field) {
    Entry e = entries.get(id);
    if (e == null) {
      return Optional.empty();
    }
    String pointer = ConfigDocument.child("", field);
    return Optional.of(
        e.doc().root().has(field) ? e.doc().locate(pointer) : Location.ofFile(e.displayPath()));
  }

  @Override
  public synchronized void save(WorkItem item) {
    Objects.requireNonNull(item, "item");
    Entry existing = entries.get(item.id());
    Path file =
        existing != null ? existing.file() : root.resolve(DIRECTORY).resolve(item.id() + ".yml");
    String display =
        existing != null ? existing.displayPath() : DIRECTORY + "/" + item.id() + ".yml";
    checkUnchanged(file, display, existing);
    String text = WorkItemYaml.write(item);
    // Reading back what we are about to write proves the file will load again.
    ConfigDocument doc = YamlConfig.parse(text, display, WorkItemYaml.SCHEMA);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      AtomicFile.write(file, bytes, mover);
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          display + ": cannot write the work item (" + e + "); the file is unchanged",
          e);
    }
    entries.put(item.id(), new Entry(file, display, bytes, doc, item));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The item goes to {@code work-items/<id>.yml}; a file of that name holding another item's id
   * is bad input too, located at that id.
   */
  @Override
  public synchronized void add(WorkItem item) {
    Objects.requireNonNull(item, "item");
    Entry existing = entries.get(item.id());
    if (existing != null) {
      throw TollgateException.badInput(
          Diagnostic.of(
              Severity.ERROR,
              WorkItem.RULE_ID,
              "work item '" + item.id() + "' already exists",
              existing.doc().locate("/id"),
              "Choose another id, or change the existing item with tollgate items set."));
    }
    String target = DIRECTORY + "/" + item.id() + ".yml";
    for (Entry e : entries.values()) {
      if (e.displayPath().equals(target)) {
        throw TollgateException.badInput(
            Diagnostic.of(
                Severity.ERROR,
                WorkItem.RULE_ID,
                target + " already holds the work item '" + e.item().id() + "'",
                e.doc().locate("/id"),
                "Give each work item its own id; the file name should be <id>.yml."));
      }
    }
    save(item);
  }

  /**
   * {@inheritDoc}
   *
   * <p>With Git, the time is the committer time of the last commit that changed the item's file
   * when the working copy holds that commit's content; with uncommitted changes, or outside Git,
   * the file's modification time, labelled as such.
   */
  @Override
  public Optional<ItemSnapshot> snapshot(String id) {
    Path file;
    synchronized (this) {
      Entry e = entries.get(id);
      if (e == null) {
        return Optional.empty();
      }
      file = e.file();
    }
    // Outside the lock: reading Git history can take a moment and needs no store state.
    return FileSnapshots.of(file);
  }

  private static void checkUnchanged(Path file, String display, Entry existing) {
    byte[] now;
    try {
      now = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      now = null;
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          display + ": cannot read before writing: " + e,
          e);
    }
    byte[] expected = existing == null ? null : existing.bytes();
    if (!Arrays.equals(now, expected)) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          display
              + (expected == null ? " already exists" : " changed on disk since it was read")
              + "; reload the work items and try again");
    }
  }
}
