#!/usr/bin/env bash
# Gets the runner jar for the composite action without a build when the action is a release.
#
#   fetch.sh resolve   writes the step outputs mode (download or build), version and sha256: the
#                      version is the `version` input, else the action's own (action/version); its
#                      SHA-256 is the one pinned in action/releases.sha256. An unreleased action
#                      (its version not pinned) builds from source; a `version` input that is not
#                      pinned is refused.
#   fetch.sh download  puts tollgate-<version>.jar in the cache folder, from the cache when its
#                      digest matches, else downloaded from the release; writes the output `jar`.
#                      A jar whose SHA-256 differs from the pinned one is refused, never run.
#
# Environment: TOLLGATE_VERSION (the input), TOLLGATE_SHA256 (download only), TOLLGATE_JAR_CACHE
# (default: $RUNNER_TOOL_CACHE/tollgate, else ~/.cache/tollgate), TOLLGATE_RELEASES_URL (default:
# this repository's GitHub releases).
set -euo pipefail
root="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
out="${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
releases="${TOLLGATE_RELEASES_URL:-https://github.com/tollgate-dev/tollgate/releases/download}"
cache="${TOLLGATE_JAR_CACHE:-${RUNNER_TOOL_CACHE:-$HOME/.cache}/tollgate}"

fail() {
  echo "::error title=Tollgate::$1"
  exit "${2:-3}"
}

sha256() {
  { sha256sum "$1" 2>/dev/null || shasum -a 256 "$1"; } | cut -d' ' -f1
}

version="${TOLLGATE_VERSION:-}"
version="${version#v}"
if [[ -n "$version" && ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  fail "the version input '$version' is not a release version such as 0.1.0" 2
fi

case "${1:-}" in
  resolve)
    own=$(tr -d '[:space:]' < "$root/action/version")
    wanted="${version:-$own}"
    pinned=$(awk -v f="tollgate-$wanted.jar" '$2 == f && length($1) == 64 && $1 ~ /^[0-9a-f]+$/ { print $1 }' \
      "$root/action/releases.sha256" | tail -n 1)
    if [[ -z "$pinned" ]]; then
      if [[ -n "$version" ]]; then
        fail "tollgate $version has no SHA-256 pinned in this action (action/releases.sha256): use an action release that lists it, or pass a jar you checked yourself" 2
      fi
      echo "Tollgate $own is not a release: building the runner from this action's source."
      printf 'mode=build\nversion=%s\nsha256=\n' "$own" >> "$out"
    else
      printf 'mode=download\nversion=%s\nsha256=%s\n' "$wanted" "$pinned" >> "$out"
    fi
    ;;
  download)
    expected="${TOLLGATE_SHA256:?TOLLGATE_SHA256 is not set}"
    [[ -n "$version" ]] || fail "no version to download" 2
    name="tollgate-$version.jar"
    jar="$cache/$name"
    mkdir -p "$cache"
    if [[ -f "$jar" ]]; then
      if [[ "$(sha256 "$jar")" == "$expected" ]]; then
        echo "Tollgate $version from the cache ($jar), SHA-256 $expected."
        echo "jar=$jar" >> "$out"
        exit 0
      fi
      echo "::warning title=Tollgate::the cached $name does not match its pinned SHA-256; downloading it again"
      rm -f "$jar"
    fi
    url="$releases/v$version/$name"
    part=$(mktemp "$cache/.$name.XXXXXX")
    trap 'rm -f "$part"' EXIT
    if ! error=$(curl -fsSL --retry 2 --connect-timeout 10 --max-time 300 -o "$part" "$url" 2>&1); then
      fail "could not download $url: ${error:-no answer}. The runner needs that release (or a jar input, or an unreleased ref of this action, which builds from source)"
    fi
    actual=$(sha256 "$part")
    if [[ "$actual" != "$expected" ]]; then
      fail "refusing to run $name from $url: its SHA-256 is $actual, but this action pins $expected (action/releases.sha256). The download was altered or damaged; nothing was run"
    fi
    mv "$part" "$jar"
    trap - EXIT
    echo "Tollgate $version downloaded from $url, SHA-256 $expected."
    echo "jar=$jar" >> "$out"
    ;;
  *)
    fail "usage: fetch.sh resolve|download" 2
    ;;
esac
