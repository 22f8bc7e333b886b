#!/usr/bin/env bash
# Runs one tollgate command for the composite action. Every input arrives as an environment
# variable and is passed to the runner as a separate argument; nothing is evaluated by the shell.
set -euo pipefail

jar="${TOLLGATE_JAR:-}"
if [[ -z "$jar" || ! -f "$jar" ]]; then
  echo "::error title=Tollgate::the runner jar '$jar' does not exist; check the jar input"
  exit 2
fi

# 'setup' only provides the runner, for steps that run it themselves: its absolute path is the
# jar output.
if [[ "${TOLLGATE_COMMAND:-}" == setup ]]; then
  jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    delimiter="ghadelimiter_${RANDOM}${RANDOM}${RANDOM}$(date +%s)"
    printf 'jar<<%s\n%s\n%s\n' "$delimiter" "$jar" "$delimiter" >> "$GITHUB_OUTPUT"
    printf 'result<<%s\npass\n%s\n' "$delimiter" "$delimiter" >> "$GITHUB_OUTPUT"
  fi
  echo "The Tollgate runner is $jar"
  exit 0
fi

# The command: split on blanks; spec-kit-validate is the action's one-word name of 'spec-kit validate'.
read -r -a command <<< "${TOLLGATE_COMMAND:-gate}"
if [[ ${#command[@]} -eq 0 ]]; then
  command=(gate)
fi
if [[ "${command[0]}" == "spec-kit-validate" ]]; then
  command=(spec-kit validate ${command[@]+"${command[@]:1}"})
fi

# Extra arguments: one per line when the input spans lines, else split on blanks.
extra=()
if [[ "${TOLLGATE_ARGS:-}" == *$'\n'* ]]; then
  while IFS= read -r line; do
    if [[ -n "$line" ]]; then
      extra+=("$line")
    fi
  done <<< "$TOLLGATE_ARGS"
else
  read -r -a extra <<< "${TOLLGATE_ARGS:-}"
fi

fail_on="${TOLLGATE_FAIL_ON:-error}"
args=("${command[@]}")
case "${command[*]}" in
  gate)
    args+=(--github --comment "${TOLLGATE_COMMENT:-update}" --fail-on "$fail_on")
    if [[ -n "${TOLLGATE_COMMENT_KEY:-}" ]]; then args+=(--comment-key "$TOLLGATE_COMMENT_KEY"); fi
    if [[ -n "${TOLLGATE_CHECK_NAME:-}" ]]; then args+=(--check-name "$TOLLGATE_CHECK_NAME"); fi
    if [[ -n "${TOLLGATE_CONFIG:-}" ]]; then args+=(--policy "$TOLLGATE_CONFIG"); fi
    ;;
  "spec-kit validate")
    if [[ -n "${TOLLGATE_CONFIG:-}" ]]; then args+=(--config "$TOLLGATE_CONFIG"); fi
    if [[ "$fail_on" == "warning" ]]; then args+=(--strict); fi
    ;;
esac
args+=(${extra[@]+"${extra[@]}"})

# Explicit inputs for values that come from people or events (workflow_dispatch inputs): each is
# exactly one argument whatever it holds, newlines and leading dashes included. The --option=value
# form keeps a value a value; the environment comes last, after --, so it is never an option.
if [[ -n "${TOLLGATE_REF:-}" ]]; then args+=("--ref=$TOLLGATE_REF"); fi
if [[ -n "${TOLLGATE_CHANGE:-}" ]]; then args+=("--change=$TOLLGATE_CHANGE"); fi
case "${TOLLGATE_EMERGENCY:-false}" in
  true) args+=(--emergency) ;;
  false | "") ;;
  *)
    echo "::error title=Tollgate::the emergency input must be true or false"
    exit 2
    ;;
esac
if [[ -n "${TOLLGATE_REASON:-}" ]]; then args+=("--reason=$TOLLGATE_REASON"); fi
if [[ -n "${TOLLGATE_TO:-}" ]]; then args+=("--to=$TOLLGATE_TO"); fi
if [[ -n "${TOLLGATE_ENVIRONMENT:-}" ]]; then args+=(-- "$TOLLGATE_ENVIRONMENT"); fi

# launch.sh runs `java -jar` with the class-data-sharing archive that the first run writes and the
# action caches (see docs/action.md); TOLLGATE_CDS=off runs plain `java -jar`.
set +e
sh "$(dirname "$0")/launch.sh" "$jar" "${args[@]}"
code=$?
set -e

# The gate writes its own outputs; for other commands, and when the gate could not finish, the
# result comes from the exit code.
if [[ "${command[*]}" != "gate" || $code -ge 2 ]]; then
  case $code in
    0) result=pass ;;
    1) result=blocked ;;
    *) result=error ;;
  esac
  delimiter="ghadelimiter_${RANDOM}${RANDOM}${RANDOM}$(date +%s)"
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    printf 'result<<%s\n%s\n%s\n' "$delimiter" "$result" "$delimiter" >> "$GITHUB_OUTPUT"
  fi
fi
if [[ $code -eq 1 && "$fail_on" == "never" ]]; then
  exit 0
fi
exit $code
