#!/usr/bin/env sh
# The pre-commit hook (.pre-commit-hooks.yaml): scans the staged files that pre-commit passes. The bundled CLI is
# build output, so the hook's first run builds it in pre-commit's clone of this repository.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$root/dist/cli.js" ]; then
  echo "pinwatch: building the CLI in $root (npm ci, then esbuild), once" >&2
  (cd "$root" && npm ci --no-audit --no-fund >&2 && npm run build:fast >&2)
fi
exec node "$root/dist/cli.js" scan --fail-on "${PINWATCH_FAIL_ON:-error}" "$@"
