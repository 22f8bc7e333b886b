package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.step.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A run's parameters as the queue stores them: the values of the template's {@code writeOnly}
 * parameters sealed by a {@link ParamsCipher} and kept apart, every other parameter in clear, with
 * {@value Secrets#MASK} in each secret's place so that what is shown says a secret was given.
 *
 * @param visible the parameters stored in clear and shown by every front end
 * @param sealed the secret values sealed, or empty when no {@code writeOnly} parameter has a value
 */
@API(status = INTERNAL, since = "0.1.0")
public record SecretParams(ObjectNode visible, Optional<String> sealed) {

  /** Checks the fields and keeps a copy of {@code visible}. */
  public SecretParams {
    visible = Objects.requireNonNull(visible, "visible").deepCopy();
    Objects.requireNonNull(sealed, "sealed");
  }

  /** A copy of the visible parameters (the record keeps its own). */
  @Override
  public ObjectNode visible() {
    return visible.deepCopy();
  }

  /**
   * Splits {@code params} of a run of {@code template}: each {@code writeOnly} parameter with a
   * value (not null) is sealed with {@code cipher} and shown as {@value Secrets#MASK}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when a {@code writeOnly} parameter has a
   *     value and there is no cipher; the message names the parameter and {@value
   *     ParamsCipher#KEY_VARIABLE}, never the value
   */
  public static SecretParams split(
      RunTemplate template, ObjectNode params, Optional<ParamsCipher> cipher) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(cipher, "cipher");
    ObjectNode visible = params.deepCopy();
    ObjectNode secret = JsonNodeFactory.instance.objectNode();
    for (String name : template.writeOnlyParams()) {
      JsonNode value = params.get(name);
      if (value != null && !value.isNull()) {
        secret.set(name, value.deepCopy());
        visible.put(name, Secrets.MASK);
      }
    }
    if (secret.isEmpty()) {
      return new SecretParams(visible, Optional.empty());
    }
    if (cipher.isEmpty()) {
      List<String> names = new ArrayList<>();
      secret.fieldNames().forEachRemaining(names::add);
      throw TollgateException.badInput(
          (names.size() == 1
                  ? "parameter '" + names.get(0) + "' is"
                  : "parameters '" + String.join("', '", names) + "' are")
              + " writeOnly (secret) in template "
              + template.name()
              + " and stored encrypted, but "
              + ParamsCipher.KEY_VARIABLE
              + " is not set; "
              + ParamsCipher.howToMake());
    }
    return new SecretParams(visible, Optional.of(cipher.get().seal(secret, template.name())));
  }

  /** {@code builder} with these parameters: the visible ones and the sealed ones. */
  public NewRun.Builder applyTo(NewRun.Builder builder) {
    return builder.params(visible).sealedParams(sealed.orElse(null));
  }

  /**
   * The parameters a run's steps see: its stored parameters with the sealed secret values opened
   * and put back in place of their masks.
   *
   * @throws TollgateException of kind {@code COULD_NOT_FINISH} when the run has sealed values and
   *     {@code cipher} is empty or holds another key, or the sealed text was altered; the message
   *     names the run, {@value ParamsCipher#KEY_VARIABLE} and what to do, never a value
   */
  public static ObjectNode reveal(Run run, Optional<ParamsCipher> cipher) {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(cipher, "cipher");
    ObjectNode params =
        run.params() != null && run.params().isObject()
            ? (ObjectNode) run.params().deepCopy()
            : JsonNodeFactory.instance.objectNode();
    if (run.sealedParams() == null) {
      return params;
    }
    String next =
        "; give the worker the key the run was enqueued with, then `tollgate runs retry "
            + run.id()
            + "`";
    if (cipher.isEmpty()) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "run "
              + run.id()
              + " has secret (writeOnly) parameters sealed with key id "
              + ParamsCipher.keyIdOf(run.sealedParams()).orElse("?")
              + ", but "
              + ParamsCipher.KEY_VARIABLE
              + " is not set for this worker"
              + next);
    }
    ObjectNode opened;
    try {
      opened = cipher.get().open(run.sealedParams(), run.template());
    } catch (TollgateException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "run " + run.id() + ": " + e.getMessage() + next);
    }
    opened.fields().forEachRemaining(e -> params.set(e.getKey(), e.getValue()));
    return params;
  }

  /**
   * Returns the values of {@code template}'s {@code writeOnly} parameters in {@code params} as
   * secrets to mask: each value, and each text inside one that is a list or an object.
   */
  public static Secrets writeOnlyValues(RunTemplate template, JsonNode params) {
    List<String> values = new ArrayList<>();
    for (String name : template.writeOnlyParams()) {
      texts(params.get(name), values);
    }
    return Secrets.of(values);
  }

  /** The texts of {@code value} as masks need them: itself, and each text inside a container. */
  static void texts(JsonNode value, List<String> out) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    if (value.isTextual()) {
      out.add(value.textValue());
      return;
    }
    out.add(value.toString());
    if (value.isContainerNode()) {
      value.elements().forEachRemaining(v -> texts(v, out));
    }
  }
}
