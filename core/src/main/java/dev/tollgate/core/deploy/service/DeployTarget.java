package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.repo.CommitInfo;
import dev.tollgate.core.repo.RepositoryView;
import dev.tollgate.core.repo.TagInfo;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a deploy, change request or promotion ships, resolved in the project's repository: the
 * commit, the version it is shown as (its tag, the last in name order when it has several, else the
 * first 12 digits of the commit), and the ref as asked for.
 *
 * @param commitSha the full commit id
 * @param version the version shown in releases and promotions
 * @param ref the ref as asked for, empty when none was (the repository's {@code HEAD})
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record DeployTarget(String commitSha, String version, Optional<String> ref) {

  /** Checks the fields. */
  public DeployTarget {
    Objects.requireNonNull(commitSha, "commitSha");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(ref, "ref");
  }

  /**
   * Resolves {@code ref} (a branch, tag or commit; empty for {@code HEAD}) in the repository at
   * {@code root}.
   *
   * @throws DeployInputException of {@link DeployInputException.UnknownRef} when there is no such
   *     ref
   * @throws dev.tollgate.core.TollgateException of kind {@code BAD_INPUT} when {@code root} is not
   *     a Git repository
   */
  public static DeployTarget resolve(Path root, Optional<String> ref) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(ref, "ref");
    try (RepositoryView repo = RepositoryView.open(root)) {
      String wanted = ref.orElse("HEAD");
      if (!repo.exists(wanted)) {
        throw new DeployInputException(new DeployInputException.UnknownRef(wanted, root));
      }
      CommitInfo commit = repo.commit(wanted);
      String version =
          repo.tags().stream()
              .filter(t -> t.commit().equals(commit.id()))
              .map(TagInfo::name)
              .sorted()
              .reduce((a, b) -> b)
              .orElse(commit.id().substring(0, 12));
      return new DeployTarget(commit.id(), version, ref);
    }
  }
}
