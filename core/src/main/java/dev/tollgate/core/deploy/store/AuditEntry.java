package dev.tollgate.core.deploy.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One line of an environment's audit trail: locks, takeovers, overrides, decisions. */
public record AuditEntry(
    long id,
    String environment,
    Instant at,
    String actor,
    String kind,
    String message,
    JsonNode data) {}
