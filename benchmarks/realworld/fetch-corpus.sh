#!/bin/sh
# Rebuilds the real-world Spec Kit corpus listed in corpus.tsv: for each repository, the
# Markdown and YAML files under its kit folders (specs/, .specify/memory/, .specify/specs/,
# memory/; templates excluded) at the recorded commit, copied unmodified into
# $OUT/<owner>__<repo>/ with their paths kept.
#
#   benchmarks/realworld/fetch-corpus.sh [OUT]      (default OUT: /work/corpus-speckit)
#
# Set MIRROR to a folder holding bare clones named <owner>+<repo>/repo to work offline;
# otherwise each repository is cloned (blobless, bare) from GitHub into $OUT/.git-cache.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-/work/corpus-speckit}
MIRROR=${MIRROR:-/work/.mirror}
mkdir -p "$OUT/.git-cache"
grep -v '^#' "$HERE/corpus.tsv" | while IFS="$(printf '\t')" read -r repo commit licence; do
  [ -n "$repo" ] || continue
  key=$(echo "$repo" | tr / +)
  dest="$OUT/$(echo "$repo" | sed 's#/#__#')"
  git_dir="$MIRROR/$key/repo"
  if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    git_dir="$OUT/.git-cache/$key.git"
    [ -d "$git_dir" ] || git clone -q --bare --filter=blob:none "https://github.com/$repo.git" "$git_dir"
  fi
  rm -rf "$dest"
  git --git-dir="$git_dir" ls-tree -r --name-only "$commit" \
    | grep -E '(^|/)(specs|\.specify/memory|\.specify/specs|memory)/.*\.(md|ya?ml)$' \
    | grep -v -e '\.specify/templates' -e 'node_modules' \
    | while IFS= read -r f; do
        mkdir -p "$dest/$(dirname "$f")"
        git --git-dir="$git_dir" show "$commit:$f" > "$dest/$f"
      done
  echo "$repo $commit ($licence): $(find "$dest" -type f | wc -l) files"
done
