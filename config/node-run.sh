#!/bin/sh
# Runs a service or konnector with node: Jobstack passes the run directory (or, for a konnector's
# account deletion, the script inside it) as $1; node loads the directory's index.js.
# Use it with: jobstack.exec.command=config/node-run.sh (or your own wrapper in its place).
if [ -z "${1:-}" ] || [ ! -e "$1" ]; then
  echo "usage: node-run.sh <run directory or script>" >&2
  exit 1
fi
command -v node >/dev/null 2>&1 || { echo "node-run.sh: node is not on PATH ($PATH)" >&2; exit 1; }
exec node "$1"
