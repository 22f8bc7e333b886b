package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Bad input to a deploy service that says which input was wrong and how, as a {@link Problem}, so
 * that each front end words it in its own terms: the runner names its option ({@code --ref}), an
 * HTTP API its field. The message words it without either.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class DeployInputException extends TollgateException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the input. */
  private final transient Problem problem;

  /** An exception of kind {@code BAD_INPUT} for {@code problem}. */
  public DeployInputException(Problem problem) {
    super(Kind.BAD_INPUT, Objects.requireNonNull(problem, "problem").describe());
    this.problem = problem;
  }

  /** What was wrong with the input. */
  public Problem problem() {
    return problem;
  }

  /** The ways an input to a deploy service can name something that is not there. */
  public sealed interface Problem {
    /** The problem in words that name no front end's inputs. */
    String describe();
  }

  /**
   * The ref to ship names no branch, tag or commit of the project's repository.
   *
   * @param ref the ref as given
   * @param repository the repository's root
   */
  public record UnknownRef(String ref, Path repository) implements Problem {
    @Override
    public String describe() {
      return "no branch, tag or commit is called " + ref + " in " + repository;
    }
  }

  /**
   * No change request has this id.
   *
   * @param id the id as given
   */
  public record UnknownChange(String id) implements Problem {
    @Override
    public String describe() {
      return "no change request has the id " + id;
    }
  }

  /**
   * No release has this id.
   *
   * @param id the id as given
   */
  public record UnknownRelease(long id) implements Problem {
    @Override
    public String describe() {
      return "no release has the id " + id;
    }
  }

  /**
   * The release to roll back to belongs to another environment.
   *
   * @param id the release
   * @param releaseEnvironment the environment it was released to
   * @param environment the environment being rolled back
   */
  public record ReleaseOfAnotherEnvironment(long id, String releaseEnvironment, String environment)
      implements Problem {
    @Override
    public String describe() {
      return "release " + id + " is a release of " + releaseEnvironment + ", not " + environment;
    }
  }

  /**
   * No release was named and the environment has no deployed release before its latest one.
   *
   * @param environment the environment being rolled back
   */
  public record NoEarlierRelease(String environment) implements Problem {
    @Override
    public String describe() {
      return environment
          + " has no earlier deployed release to roll back to; name the release to go back to";
    }
  }

  /**
   * The environment's spec declares no rollback step.
   *
   * @param environment the environment being rolled back
   * @param specFile its spec file inside the project, e.g. {@code .tollgate/deploy/prod.yml}
   */
  public record NoRollbackStep(String environment, String specFile) implements Problem {
    @Override
    public String describe() {
      return specFile + " declares no rollback step";
    }
  }
}
