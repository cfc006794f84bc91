#!/usr/bin/env bash
# usage: run.sh BINARY   — score this corpus (round 2025Q1) with the shared score.sh.
set -euo pipefail
CORPUS="$(cd "$(dirname "$0")" && pwd)" ROUND=2025Q1 exec bash "$(dirname "$0")/../score.sh" "$@"
