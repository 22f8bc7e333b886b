#!/usr/bin/env sh
# Starts the runner jar with an application class-data-sharing (AppCDS) archive, so that a fresh
# JVM maps the classes a command needs, already parsed and verified, instead of loading them from
# the jar. Used by the `tollgate` script at the repository root and by the action (action/run.sh).
#
#   launch.sh JAR [ARG...]         runs `java -jar JAR ARG...`, with the archive when there is one
#   launch.sh --key JAR [COMMAND]  prints dir=<archive folder> and key=<archive key> of COMMAND's
#                                  archive for JAR and the java it runs (for actions/cache)
#
# The first run of a command (the first argument, such as gate or spec-kit) with a given jar and
# JDK writes the archive when it exits (-XX:ArchiveClassesAtExit); later runs map it
# (-XX:SharedArchiveFile). Archives live in $TOLLGATE_CDS_DIR, by default
# ${XDG_CACHE_HOME:-~/.cache}/tollgate/cds, named <jar sha-256>-<JDK>-<command>.jsa. An archive
# the JVM cannot use (another JDK, a changed jar, a damaged file) is ignored without a word: the
# command runs as without it and prints the same. TOLLGATE_CDS=off turns all of this off.
#
# The java it runs is $JAVA_HOME/bin/java when JAVA_HOME names a JDK, else the one on the PATH; one
# older than 17 (its release file says which) stops it with exit code 3 and a message. It runs
# before every command, so it starts as few processes as it can (readlink and stat on the common
# path): the rest is shell built-ins.
set -u

# The java to run: $JAVA_HOME's when it has one (as the Maven wrapper chooses), else the PATH's.
java_cmd=java
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java_cmd=$JAVA_HOME/bin/java
fi

plain() {
  exec "$java_cmd" -jar "$@"
}

if [ "$#" -lt 1 ]; then
  echo "usage: launch.sh JAR [ARG...] | launch.sh --key JAR [COMMAND]" >&2
  exit 2
fi

key_only=false
if [ "$1" = "--key" ]; then
  key_only=true
  shift
fi
jar=$1
shift

# The command: the first argument when it is a subcommand's name. Long-running commands gain
# nothing from a faster start, and must run as the JVM itself (exec) so signals reach them.
command_word=${1:-}
case "$command_word" in
  serve | worker | "" | [!a-z]* | *[!a-z0-9-]*) command_word= ;;
esac

# The first compiler only: for commands that last a second or a few the optimising compiler (C2)
# costs more CPU than it saves, even on a 19 MB spec kit (docs/benchmarks.md, "Runner start-up"),
# and so it does for the worker, which spends its time waiting for its steps' processes and the
# database, even over thousands of runs (docs/benchmarks.md, "The worker's compiler").
quick='-XX:TieredStopAtLevel=1'

# The JDK: the `release` file of the java to run names its version and its build exactly.
java_path=$(command -v "$java_cmd" 2>/dev/null) || java_path=
java_real=
implementor=
runtime=
version=
if [ -n "$java_path" ]; then
  java_real=$(readlink -f "$java_path" 2>/dev/null || realpath "$java_path" 2>/dev/null) || java_real=
  release=${java_real%/bin/java}/release
  if [ -n "$java_real" ] && [ -f "$release" ]; then
    while IFS='=' read -r name value; do
      value=${value#\"}
      value=${value%\"}
      case "$name" in
        IMPLEMENTOR) implementor=$value ;;
        JAVA_RUNTIME_VERSION) runtime=$value ;;
        JAVA_VERSION) version=$value ;;
      esac
    done < "$release"
  fi
fi

# Without a JDK 17 the jar cannot load, and the JVM would say so with exit code 1, which the
# runner's commands use for "blocked" and "findings": say it plainly, with the exit code of an
# environment that cannot run the command (3). A java without a release file is left to try.
if [ "$key_only" = false ]; then
  if [ -z "$java_path" ]; then
    echo "tollgate: no java found: set JAVA_HOME to a JDK 17 or newer, or put its bin folder on the PATH" >&2
    exit 3
  fi
  case "$version" in
    1.* | [0-9] | [0-9].* | 1[0-6] | 1[0-6].*)
      echo "tollgate: needs Java 17 or newer, and $java_real is Java $version: set JAVA_HOME to a JDK 17 or newer, or put its bin folder first on the PATH" >&2
      exit 3
      ;;
  esac
fi

if [ "$key_only" = false ] && [ "${1:-}" = worker ]; then
  exec "$java_cmd" "$quick" -jar "$jar" "$@"
fi

# A Java agent or Flight Recorder, in any of the variables the JVM takes options from, watches
# class loading. JDK 17 refuses to start a JVM that would write an archive with an agent loaded,
# and one that maps an archive while an agent watches class loading can crash (docs/cli.md). Such
# runs go without an archive, as with TOLLGATE_CDS=off.
case "${JAVA_TOOL_OPTIONS:-} ${JDK_JAVA_OPTIONS:-} ${_JAVA_OPTIONS:-}" in
  *-javaagent:* | *-agentlib:* | *-agentpath:* | *FlightRecord*) agents=true ;;
  *) agents=false ;;
esac

if [ "$key_only" = false ]; then
  if [ "${TOLLGATE_CDS:-auto}" = off ] || [ -z "$command_word" ] || [ "$agents" = true ]; then
    plain "$jar" "$@"
  fi
fi

# Sets jdk to its arguments joined, every character but letters, digits, '.', '+' and '-' as '_'.
jdk_key() {
  s=$*
  out=
  while [ -n "$s" ]; do
    rest=${s#?}
    c=${s%"$rest"}
    case "$c" in
      [A-Za-z0-9.+-]) out=$out$c ;;
      *) out=${out}_ ;;
    esac
    s=$rest
  done
  jdk=$out
}

# The archive's key names the JDK's exact build, from its release file (read above). Without it
# there is no safe key, so no archive.
jdk=
if [ -n "$runtime" ]; then
  jdk_key "${implementor:+$implementor-}$runtime"
fi

dir=${TOLLGATE_CDS_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/tollgate/cds}

if [ -z "$jdk" ] || [ ! -f "$jar" ]; then
  if [ "$key_only" = true ]; then
    echo "launch.sh: no key: the jar '$jar' or the JDK's release file is missing" >&2
    exit 2
  fi
  plain "$jar" "$@"
fi

case "$jar" in
  /*) jar_abs=$jar ;;
  *) jar_abs=$PWD/$jar ;;
esac

# The jar's size and modification time (the JVM refuses an archive made from a jar with other
# ones) and, with one more `stat`, the archive's size. GNU stat, else BSD stat.
stats=$(stat -c '%s %Y' "$jar_abs" 2>/dev/null || stat -f '%z %m' "$jar_abs" 2>/dev/null) || stats=
jar_size=${stats%% *}
jar_time=${stats#* }
case "$jar_size$jar_time" in
  "" | *[!0-9]*)
    if [ "$key_only" = true ]; then
      echo "launch.sh: no key: cannot read the size and time of '$jar'" >&2
      exit 2
    fi
    plain "$jar" "$@"
    ;;
esac

# The jar's SHA-256, remembered in $dir/jars per path, size and time, so that it is computed once
# per jar file.
memo=$dir/jars
sha=
if [ -f "$memo" ]; then
  while read -r m_size m_time m_sha m_path; do
    if [ "$m_path" = "$jar_abs" ] && [ "$m_size" = "$jar_size" ] && [ "$m_time" = "$jar_time" ]; then
      sha=$m_sha
    fi
  done < "$memo"
fi
if [ -z "$sha" ]; then
  sha=$( (sha256sum "$jar_abs" 2>/dev/null || shasum -a 256 "$jar_abs" 2>/dev/null) | cut -c 1-64)
  case "$sha" in
    *[!0-9a-f]* | "") sha= ;;
    *)
      mkdir -p "$dir" 2>/dev/null &&
        printf '%s %s %s %s\n' "$jar_size" "$jar_time" "$sha" "$jar_abs" >> "$memo" 2>/dev/null
      ;;
  esac
fi

if [ "$key_only" = true ]; then
  if [ -z "$sha" ]; then
    echo "launch.sh: no key: cannot compute the SHA-256 of '$jar'" >&2
    exit 2
  fi
  echo "dir=$dir"
  echo "key=$sha-$jdk${command_word:+-$command_word}"
  exit 0
fi

if [ -z "$sha" ]; then
  plain "$jar" "$@"
fi

archive=$dir/$sha-$jdk-$command_word.jsa
# Never a JVM warning in the command's output: an unusable archive is skipped silently.
quiet='-Xlog:cds*=off,class+path*=off'

# The archive is used only as it was written (the same size: a truncated archive can crash the
# JVM before it checks anything) and for the jar file it was made from.
if [ -f "$archive.ok" ]; then
  ok=
  read -r ok < "$archive.ok" || true
  size=$(stat -c '%s' "$archive" 2>/dev/null || stat -f '%z' "$archive" 2>/dev/null) || size=
  if [ -n "$size" ] && [ "$ok" = "$jar_abs $jar_size $jar_time $size" ]; then
    exec "$java_cmd" -XX:SharedArchiveFile="$archive" -Xshare:auto "$quiet" "$quick" \
      -jar "$jar_abs" "$@"
  fi
fi

if ! mkdir -p "$dir" 2>/dev/null || [ ! -w "$dir" ]; then
  plain "$jar" "$@"
fi

# First run of this command with this jar and JDK: run it and write the archive when it exits.
# Only a run that finished (exit 0 or 1) is kept, so that a typo does not make the archive.
tmp=$archive.$$.tmp
trap 'rm -f "$tmp" "$archive.ok.$$"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
"$java_cmd" -XX:ArchiveClassesAtExit="$tmp" -Xshare:auto "$quiet" "$quick" -jar "$jar_abs" "$@"
code=$?
if { [ "$code" -eq 0 ] || [ "$code" -eq 1 ]; } && [ -s "$tmp" ]; then
  size=$(stat -c '%s' "$tmp" 2>/dev/null || stat -f '%z' "$tmp" 2>/dev/null) || size=
  if [ -n "$size" ] && mv -f "$tmp" "$archive" 2>/dev/null &&
      printf '%s\n' "$jar_abs $jar_size $jar_time $size" > "$archive.ok.$$" 2>/dev/null; then
    mv -f "$archive.ok.$$" "$archive.ok" 2>/dev/null || true
  fi
  # Archives of older jars and JDKs: removed after 30 days without a new one being written.
  find "$dir" -name '*.jsa' -mtime +30 -exec sh -c 'rm -f "$1" "$1.ok"' sh {} \; 2>/dev/null || true
fi
exit "$code"
