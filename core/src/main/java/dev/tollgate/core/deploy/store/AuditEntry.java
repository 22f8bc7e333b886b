package dev.tollgate.core.deploy.store;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.apiguardian.api.API;

/** One line of an environment's audit trail: locks, takeovers, overrides, decisions. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record AuditEntry(
    long id,
    String environment,
    Instant at,
    String actor,
    String kind,
    String message,
    JsonNode data) {}
