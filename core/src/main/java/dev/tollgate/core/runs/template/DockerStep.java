package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A step that runs a container with {@code docker run --rm}, on the Docker engine the worker's
 * {@code docker} command talks to.
 *
 * <p>Environment values (the step's own and the run's parameters) are handed to the container by
 * name ({@code -e NAME}) through the environment of the {@code docker} command, never written on
 * its command line. Nothing is mounted into the container.
 *
 * @param name unique within the template
 * @param timeout the longest the container may run
 * @param image the image reference, e.g. {@code alpine:3.20}
 * @param args the arguments after the image: the container's command
 * @param env the container's extra environment variables with literal values; names may not start
 *     with {@code TOLLGATE_}
 * @param workdir the working directory inside the container; empty for the image's default
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record DockerStep(
    String name,
    Duration timeout,
    String image,
    List<String> args,
    Map<String, String> env,
    Optional<String> workdir)
    implements Step {

  /** Checks every field. */
  public DockerStep {
    Steps.name(name);
    Steps.positive(timeout, "timeout of step " + name);
    Objects.requireNonNull(image, "image");
    if (image.isBlank() || image.startsWith("-")) {
      throw new IllegalArgumentException(
          "image of step " + name + " must be an image reference but was '" + image + "'");
    }
    args = List.copyOf(Objects.requireNonNull(args, "args"));
    env = Steps.env(env, "env of step " + name);
    Objects.requireNonNull(workdir, "workdir");
    workdir = workdir.filter(w -> !w.isBlank());
  }

  /** A step running {@code image} with {@code args} and no extra variables. */
  public static DockerStep of(String name, Duration timeout, String image, List<String> args) {
    return new DockerStep(name, timeout, image, args, Map.of(), Optional.empty());
  }

  @Override
  public String kind() {
    return "docker";
  }
}
