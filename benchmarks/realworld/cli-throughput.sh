#!/bin/bash
# Times the runner jar end to end (cold JVM, JSON report written) on the real-world corpus: one
# `tollgate spec-kit validate` over the same kit roots RealWorldPrecision validates (folders holding
# specs/ or .specify/, hidden folders and OpenSpec changes left out). One unmeasured run, then
# RUNS measured runs; prints each wall time and the median, in MB/s over the corpus bytes.
#
#   benchmarks/realworld/cli-throughput.sh JAR [CORPUS] [RUNS]
set -euo pipefail
JAR=$1
CORPUS=${2:-/work/corpus-speckit}
RUNS=${3:-5}
cd "$CORPUS"
mapfile -t ROOTS < <(for r in */; do
  find "${r%/}" -maxdepth 6 -type d \( -name specs -o -name .specify \) | while IFS= read -r d; do
    p=$(dirname "$d")
    case "/$p" in */.*|*/openspec/*|*/node_modules/*) ;; *) echo "$p" ;; esac
  done
done | sort -u)
BYTES=$(find . -path ./.git-cache -prune -o -type f -print0 | xargs -0 cat | wc -c)
OUT=$(mktemp)
java -jar "$JAR" spec-kit validate --format json -o "$OUT" "${ROOTS[@]}" || true
times=()
for i in $(seq "$RUNS"); do
  t0=$(date +%s.%N)
  java -jar "$JAR" spec-kit validate --format json -o "$OUT" "${ROOTS[@]}" || true
  t1=$(date +%s.%N)
  times+=("$(echo "$t1 - $t0" | bc)")
done
printf '%s\n' "${times[@]}" | sort -n | awk -v b="$BYTES" -v roots="${#ROOTS[@]}" -v out="$OUT" '
  { t[NR] = $1 } END {
    m = t[int((NR + 1) / 2)];
    printf "%d roots, %.2f MB; runs:", roots, b / 1e6;
    for (i = 1; i <= NR; i++) printf " %.2f", t[i];
    printf " s; median %.2f s, %.1f MB/s end to end\n", m, b / 1e6 / m }'
python3 -c "import json,sys; d=json.load(open('$OUT')); print('findings in the report:', len(d.get('findings', [])) if isinstance(d, dict) else '?')" 2>/dev/null || true
rm -f "$OUT"
