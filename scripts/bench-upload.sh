#!/usr/bin/env bash
# Bulk upload speed: a 10,000-row XLSX for a shop with 10,000 SKUs, taken
# through the request (inspect, store, enqueue), the check job (every row
# against the catalogue and the rules) and the save into the draft.
# Needs PostgreSQL as the tests do. Prints Go's benchmark lines: ns/op is
# the whole path, create/check/save-s/op its parts, B/op what was
# allocated, peak-RSS-MB the process's peak memory. Results and how to
# read them: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
go test ./models -run XXX -bench BenchmarkUpload10k -benchtime "${BENCHTIME:-5x}" -count "${COUNT:-3}" -benchmem
