#!/usr/bin/env bash
# usage: run.sh BINARY   — score this corpus (round 2025Q3) with the shared score.sh.
set -euo pipefail
CORPUS="$(cd "$(dirname "$0")" && pwd)" ROUND=2025Q3 exec bash "$(dirname "$0")/../score.sh" "$@"
