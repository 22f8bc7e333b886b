#!/usr/bin/env bash
# Builds the runner jar from the action's own checkout with the Maven wrapper (tests skipped: the
# action's release was tested when it was tagged) and writes its path to the step output `jar`.
set -euo pipefail
root="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
(cd "$root" && ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl cli-runner -am package) >&2
jar="$root/cli-runner/target/tollgate.jar"
if [[ ! -f "$jar" ]]; then
  echo "::error title=Tollgate::the build finished without $jar"
  exit 3
fi
echo "jar=$jar" >> "$GITHUB_OUTPUT"
