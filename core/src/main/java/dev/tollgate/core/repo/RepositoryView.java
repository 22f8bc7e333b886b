package dev.tollgate.core.repo;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.DidYouMean;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.apiguardian.api.API;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.patch.FileHeader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.SystemReader;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * A read-only view of a local Git repository, read with JGit: the head commit, the branch, the
 * files and lines changed between two refs, a file's content at a ref, the commits between two
 * refs, and the tags. It never writes to the repository and needs no {@code git} executable.
 *
 * <p>Refs are anything {@code git rev-parse} accepts for a commit: a branch, a tag, {@code HEAD~2},
 * an abbreviated id. A ref that names nothing is bad input, with "did you mean" among the branches
 * and tags. Close the view to release the repository's files.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class RepositoryView implements AutoCloseable {
  /** The largest blob {@link #blob} reads; larger ones are reported as too large, not loaded. */
  public static final int MAX_BLOB_BYTES = 16 << 20;

  private final Repository repository;
  private final Path workTree;

  private RepositoryView(Repository repository, Path workTree) {
    this.repository = repository;
    this.workTree = workTree;
  }

  /**
   * Sets up what JGit reads once per process before it opens the first repository: the file
   * system's detection, the user's and the system's Git configuration (JGit finds the latter by
   * running {@code git}) and its message texts. A command that will open a repository calls it on a
   * background thread while it parses its arguments, so that this overlaps with that work; the
   * result is the same as when {@link #open} does it. A problem (an unreadable configuration) is
   * left for {@link #open} to report.
   */
  public static void prepare() {
    try {
      SystemReader.getInstance().getUserConfig();
    } catch (IOException | ConfigInvalidException | RuntimeException e) {
      // open() meets the same problem, on the caller's thread, and reports it there.
    }
  }

  /**
   * The repository whose work tree holds {@code dir} (the folder itself or one of its parents, as
   * {@code git} finds it).
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when {@code dir} does not exist, is not in
   *     a Git work tree, or the repository is bare or unreadable
   */
  public static RepositoryView open(Path dir) {
    Objects.requireNonNull(dir, "dir");
    Path absolute = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(absolute)) {
      throw TollgateException.badInput(dir + ": no such folder");
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(absolute.toFile());
    if (builder.getGitDir() == null) {
      throw TollgateException.badInput(
          dir + " is not inside a Git repository (no .git folder in it or above it)");
    }
    try {
      Repository repo = builder.setMustExist(true).build();
      if (repo.isBare()) {
        repo.close();
        throw TollgateException.badInput(dir + " is a bare Git repository; a work tree is needed");
      }
      return new RepositoryView(repo, repo.getWorkTree().toPath().toAbsolutePath().normalize());
    } catch (IOException e) {
      throw TollgateException.badInput(
          dir + " is not a readable Git repository: " + e.getMessage());
    }
  }

  /**
   * Clones a Git bundle file (made with {@code git bundle create}) into {@code into}, gives every
   * branch of the bundle a local branch of the same name, and checks out {@code head}; the result
   * is an ordinary work tree that {@link #open(Path)} reads.
   *
   * <p>A bundle is how a repository history travels as one file: the bundled examples use it so
   * that a real base and head can be gated without a nested {@code .git} folder.
   *
   * @param bundle the bundle file
   * @param head the branch to check out; {@code HEAD} keeps what the bundle's HEAD names
   * @param into a folder that does not exist yet or is empty
   * @throws TollgateException of kind {@code BAD_INPUT} when the file is not a readable bundle or
   *     {@code head} is not one of its branches
   */
  public static void cloneBundle(Path bundle, String head, Path into) {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(into, "into");
    if (!Files.isRegularFile(bundle)) {
      throw TollgateException.badInput(bundle + ": no such bundle file");
    }
    String uri = bundle.toAbsolutePath().toUri().toString();
    try {
      List<String> branches = new ArrayList<>();
      boolean hasHead = false;
      for (Ref r : Git.lsRemoteRepository().setRemote(uri).call()) {
        if (r.getName().startsWith(Constants.R_HEADS)) {
          branches.add(r.getName().substring(Constants.R_HEADS.length()));
        } else if (r.getName().equals(Constants.HEAD)) {
          hasHead = true;
        }
      }
      String shown = String.join(", ", new TreeSet<>(branches));
      if (head.equals(Constants.HEAD) && !hasHead) {
        throw TollgateException.badInput(
            bundle + " has no HEAD; name the branch to gate with --head (branches: " + shown + ")");
      }
      if (!head.equals(Constants.HEAD) && !branches.contains(head)) {
        throw TollgateException.badInput(
            bundle
                + " has no branch '"
                + head
                + "'"
                + DidYouMean.suggest(head, branches)
                    .map(x -> "; did you mean `" + x + "`?")
                    .orElse("")
                + " (branches: "
                + shown
                + ")");
      }
      var clone = Git.cloneRepository().setURI(uri).setDirectory(into.toFile());
      if (!head.equals(Constants.HEAD)) {
        clone.setBranch(Constants.R_HEADS + head);
      }
      try (Git git = clone.call()) {
        Repository repo = git.getRepository();
        for (String name : branches) {
          if (repo.exactRef(Constants.R_HEADS + name) == null) {
            git.branchCreate()
                .setName(name)
                .setStartPoint(Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + name)
                .call();
          }
        }
      }
    } catch (GitAPIException | IOException e) {
      throw TollgateException.badInput(bundle + " is not a readable Git bundle: " + e.getMessage());
    }
  }

  /** The root folder of the work tree: where {@code .git}, {@code .tollgate/} and so on live. */
  public Path workTree() {
    return workTree;
  }

  /**
   * The branch checked out, e.g. {@code bf/BF-274-rounding}; empty when {@code HEAD} is detached or
   * the repository has no commit yet.
   */
  public Optional<String> branch() {
    try {
      String full = repository.getFullBranch();
      if (full != null && full.startsWith(Constants.R_HEADS)) {
        return Optional.of(full.substring(Constants.R_HEADS.length()));
      }
      return Optional.empty();
    } catch (IOException e) {
      throw couldNotRead("HEAD", e);
    }
  }

  /**
   * The branch {@code ref} names when it is a local branch ({@code main}, {@code refs/heads/main})
   * or {@code HEAD} on a branch; empty otherwise.
   */
  public Optional<String> branchOf(String ref) {
    Objects.requireNonNull(ref, "ref");
    if (ref.equals(Constants.HEAD)) {
      return branch();
    }
    try {
      String full = ref.startsWith(Constants.R_HEADS) ? ref : Constants.R_HEADS + ref;
      Ref found = repository.getRefDatabase().exactRef(full);
      return found == null
          ? Optional.empty()
          : Optional.of(found.getName().substring(Constants.R_HEADS.length()));
    } catch (IOException e) {
      throw couldNotRead(ref, e);
    }
  }

  /** Whether {@code ref} names a commit in this repository. */
  public boolean exists(String ref) {
    try {
      return resolveId(ref) != null;
    } catch (TollgateException e) {
      return false;
    }
  }

  /**
   * The commit {@code HEAD} points at.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when the repository has no commit yet
   */
  public CommitInfo head() {
    return commit(Constants.HEAD);
  }

  /**
   * The commit {@code ref} names.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when it names no commit
   */
  public CommitInfo commit(String ref) {
    ObjectId id = require(ref);
    try (RevWalk walk = new RevWalk(repository)) {
      return info(walk.parseCommit(id));
    } catch (IOException e) {
      throw couldNotRead(ref, e);
    }
  }

  /**
   * The change a pull request from {@code head} into {@code base} shows: every file that differs
   * between their merge base (or {@code base} itself when they share no history) and {@code head},
   * with renames detected and lines added and deleted counted per file.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when a ref names no commit; {@code
   *     COULD_NOT_FINISH} when the repository cannot be read
   */
  public ChangeSet changes(String base, String head) {
    ObjectId baseId = require(base);
    ObjectId headId = require(head);
    try (RevWalk walk = new RevWalk(repository);
        ObjectReader reader = repository.newObjectReader();
        DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
      RevCommit baseCommit = walk.parseCommit(baseId);
      RevCommit headCommit = walk.parseCommit(headId);
      RevCommit from = mergeBase(walk, baseCommit, headCommit).orElse(baseCommit);
      walk.parseHeaders(from);
      diff.setReader(reader, repository.getConfig());
      diff.setDiffComparator(RawTextComparator.DEFAULT);
      diff.setDetectRenames(true);
      List<ChangedFile> files = new ArrayList<>();
      for (DiffEntry e : diff.scan(from.getTree(), headCommit.getTree())) {
        files.add(changedFile(diff, e));
      }
      return new ChangeSet(from.getName(), headCommit.getName(), files);
    } catch (IOException e) {
      throw couldNotRead(base + ".." + head, e);
    }
  }

  private static Optional<RevCommit> mergeBase(RevWalk walk, RevCommit a, RevCommit b)
      throws IOException {
    walk.reset();
    walk.setRevFilter(RevFilter.MERGE_BASE);
    walk.markStart(a);
    walk.markStart(b);
    RevCommit found = walk.next();
    walk.reset();
    walk.setRevFilter(RevFilter.ALL);
    return Optional.ofNullable(found);
  }

  private static ChangedFile changedFile(DiffFormatter diff, DiffEntry e) throws IOException {
    FileHeader header = diff.toFileHeader(e);
    boolean binary = header.getPatchType() != FileHeader.PatchType.UNIFIED;
    int added = 0;
    int deleted = 0;
    if (!binary) {
      for (Edit edit : header.toEditList()) {
        added += edit.getLengthB();
        deleted += edit.getLengthA();
      }
    }
    ChangeType type =
        switch (e.getChangeType()) {
          case ADD -> ChangeType.ADDED;
          case MODIFY -> ChangeType.MODIFIED;
          case DELETE -> ChangeType.DELETED;
          case RENAME -> ChangeType.RENAMED;
          case COPY -> ChangeType.COPIED;
        };
    String path = type == ChangeType.DELETED ? e.getOldPath() : e.getNewPath();
    Optional<String> oldPath =
        type == ChangeType.RENAMED || type == ChangeType.COPIED
            ? Optional.of(e.getOldPath())
            : Optional.empty();
    Optional<String> blob =
        type == ChangeType.DELETED ? Optional.empty() : Optional.of(e.getNewId().name());
    return new ChangedFile(path, oldPath, type, added, deleted, binary, blob);
  }

  /**
   * The commits reachable from {@code head} but not from {@code base}, newest first, as {@code git
   * log base..head} lists them.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when a ref names no commit
   */
  public List<CommitInfo> commitsBetween(String base, String head) {
    ObjectId baseId = require(base);
    ObjectId headId = require(head);
    try (RevWalk walk = new RevWalk(repository)) {
      walk.markStart(walk.parseCommit(headId));
      walk.markUninteresting(walk.parseCommit(baseId));
      List<CommitInfo> out = new ArrayList<>();
      for (RevCommit c : walk) {
        out.add(info(c));
      }
      return out;
    } catch (IOException e) {
      throw couldNotRead(base + ".." + head, e);
    }
  }

  /**
   * The content of {@code path} (relative to the repository root, {@code /}-separated) as of {@code
   * ref}; empty when no such file exists there.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when {@code ref} names no commit, or {@code
   *     COULD_NOT_FINISH} when the file is larger than {@value #MAX_BLOB_BYTES} bytes or cannot be
   *     read
   */
  public Optional<byte[]> file(String ref, String path) {
    Objects.requireNonNull(path, "path");
    ObjectId id = require(ref);
    try (RevWalk walk = new RevWalk(repository);
        TreeWalk tree = TreeWalk.forPath(repository, path, walk.parseCommit(id).getTree())) {
      if (tree == null || (tree.getRawMode(0) & 0170000) != 0100000) {
        return Optional.empty();
      }
      return Optional.of(load(tree.getObjectId(0), path));
    } catch (IOException e) {
      throw couldNotRead(ref + ":" + path, e);
    }
  }

  /**
   * The content of the blob {@code blobId}, e.g. a {@link ChangedFile#blobId()}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when the id is malformed or names no blob,
   *     or {@code COULD_NOT_FINISH} when it is larger than {@value #MAX_BLOB_BYTES} bytes
   */
  public byte[] blob(String blobId) {
    Objects.requireNonNull(blobId, "blobId");
    if (!ObjectId.isId(blobId)) {
      throw TollgateException.badInput("'" + blobId + "' is not a full object id");
    }
    try {
      return load(ObjectId.fromString(blobId), blobId);
    } catch (MissingObjectException | IncorrectObjectTypeException e) {
      throw TollgateException.badInput("no blob " + blobId + " in " + workTree);
    } catch (IOException e) {
      throw couldNotRead(blobId, e);
    }
  }

  private byte[] load(ObjectId id, String what) throws IOException {
    ObjectLoader loader = repository.open(id, Constants.OBJ_BLOB);
    if (loader.getSize() > MAX_BLOB_BYTES) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          what
              + " is "
              + loader.getSize()
              + " bytes; files over "
              + MAX_BLOB_BYTES
              + " are not read");
    }
    return loader.getCachedBytes(MAX_BLOB_BYTES);
  }

  /** Every tag, sorted by name, with the commit it names. */
  public List<TagInfo> tags() {
    try {
      List<TagInfo> out = new ArrayList<>();
      for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
        Ref peeled = repository.getRefDatabase().peel(ref);
        ObjectId target =
            peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId();
        out.add(new TagInfo(ref.getName().substring(Constants.R_TAGS.length()), target.name()));
      }
      out.sort(java.util.Comparator.comparing(TagInfo::name));
      return out;
    } catch (IOException e) {
      throw couldNotRead("tags", e);
    }
  }

  private ObjectId require(String ref) {
    ObjectId id = resolveId(ref);
    if (id == null) {
      throw unknownRef(ref, null);
    }
    return id;
  }

  private ObjectId resolveId(String ref) {
    Objects.requireNonNull(ref, "ref");
    if (ref.isBlank()) {
      throw TollgateException.badInput("a Git ref must not be empty");
    }
    try {
      return repository.resolve(ref + "^{commit}");
    } catch (AmbiguousObjectException e) {
      throw TollgateException.badInput(
          "'" + ref + "' is ambiguous: it abbreviates more than one object; give more characters");
    } catch (RevisionSyntaxException | IncorrectObjectTypeException e) {
      throw unknownRef(ref, "it is not a commit");
    } catch (IOException e) {
      throw couldNotRead(ref, e);
    }
  }

  private TollgateException unknownRef(String ref, String why) {
    StringBuilder message = new StringBuilder("unknown Git ref '").append(ref).append("'");
    if (why != null) {
      message.append(": ").append(why);
    }
    TreeSet<String> names = new TreeSet<>();
    try {
      for (Ref r : repository.getRefDatabase().getRefs()) {
        names.add(Repository.shortenRefName(r.getName()));
      }
    } catch (IOException ignored) {
      // Suggestions are a courtesy; the message stands without them.
    }
    DidYouMean.suggest(ref, names)
        .ifPresent(s -> message.append("; did you mean `").append(s).append("`?"));
    if (names.isEmpty()) {
      message.append(" (the repository has no branches or tags yet)");
    }
    return TollgateException.badInput(message.toString());
  }

  private static CommitInfo info(RevCommit c) {
    return new CommitInfo(
        c.getName(),
        c.getShortMessage(),
        c.getFullMessage(),
        c.getAuthorIdent().getName(),
        c.getCommitterIdent().getWhenAsInstant());
  }

  private TollgateException couldNotRead(String what, IOException e) {
    return new TollgateException(
        TollgateException.Kind.COULD_NOT_FINISH,
        "could not read "
            + what
            + " from the Git repository at "
            + workTree
            + ": "
            + e.getMessage(),
        e);
  }

  @Override
  public void close() {
    repository.close();
  }
}
