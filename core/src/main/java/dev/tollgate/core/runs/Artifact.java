package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import org.apiguardian.api.API;

/**
 * A named output of a run: small text kept inline, anything else stored by its SHA-256.
 *
 * @param runId the run
 * @param name the sanitised name, a relative path without {@code .} or {@code ..} segments
 * @param attempt the attempt that stored it
 * @param size its length in bytes
 * @param sha256 the SHA-256 of its content, hex
 * @param inline whether it is stored inline as text
 * @param createdAt when it was stored
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Artifact(
    long runId,
    String name,
    int attempt,
    long size,
    String sha256,
    boolean inline,
    Instant createdAt) {}
