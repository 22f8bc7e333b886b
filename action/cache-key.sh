#!/usr/bin/env bash
# Writes the step output `hash`: a digest of the runner's pom files, the key of its Maven cache.
# (hashFiles() only sees the workspace, not the action's own folder, so it is computed here.)
set -euo pipefail
root="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
hash=$(cat "$root"/pom.xml "$root"/*/pom.xml "$root"/.mvn/wrapper/maven-wrapper.properties \
  | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-32)
echo "hash=$hash" >> "$GITHUB_OUTPUT"
