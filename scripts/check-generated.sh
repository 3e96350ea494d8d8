#!/usr/bin/env bash
# Fails when the committed *_templ.go files differ from what `templ generate`
# makes of the .templ files. Generates into a scratch copy, so a working tree
# is never changed by the check.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/views"
cp views/*.templ "$tmp/views/"
go tool templ generate -path "$tmp" >/dev/null 2>&1
status=0
for f in "$tmp"/views/*_templ.go; do
  name=$(basename "$f")
  if ! cmp -s "$f" "views/$name"; then
    echo "views/$name is out of date: run 'make generate' and commit it"
    status=1
  fi
done
for f in views/*_templ.go; do
  [ -f "$tmp/views/$(basename "$f")" ] || { echo "$f has no .templ source: delete it"; status=1; }
done
exit $status
