#!/bin/sh
# Runs a service or konnector with node inside a bubblewrap sandbox (Debian: apt-get install
# bubblewrap). The process sees the system read-only, no other user's files, no Jobstack data,
# only its own run directory writable and an empty /tmp; it gets its own PID, IPC and UTS
# namespaces and dies with Jobstack. The network is kept: services call the stack back.
# Use it with: jobstack.exec.command=config/bwrap-node-run.sh
set -eu
if [ -z "${1:-}" ] || [ ! -e "$1" ]; then
  echo "usage: bwrap-node-run.sh <run directory or script>" >&2
  exit 1
fi
target=$(realpath "$1")
if [ -d "$target" ]; then dir=$target; else dir=$(dirname "$target"); fi
node=$(command -v node) || { echo "bwrap-node-run.sh: node is not on PATH ($PATH)" >&2; exit 1; }
exec bwrap \
  --ro-bind /usr /usr \
  --ro-bind-try /bin /bin --ro-bind-try /lib /lib --ro-bind-try /lib64 /lib64 \
  --ro-bind-try /etc/ssl /etc/ssl --ro-bind-try /etc/ca-certificates /etc/ca-certificates \
  --ro-bind-try /etc/resolv.conf /etc/resolv.conf --ro-bind-try /etc/hosts /etc/hosts \
  --ro-bind-try /etc/nsswitch.conf /etc/nsswitch.conf \
  --ro-bind "$node" "$node" \
  --proc /proc --dev /dev --tmpfs /tmp \
  --bind "$dir" "$dir" --chdir "$dir" \
  --unshare-pid --unshare-ipc --unshare-uts --die-with-parent \
  "$node" "$target"
