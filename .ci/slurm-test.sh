#!/usr/bin/env bash
# The Slurm test of issue 4: a sweep submitted as a job array to a real one-node Slurm, merged
# by a job that depends on the array, must give byte-identical files to the same sweep run here.
#
# Installs Debian's slurmctld, slurmd, slurm-client and munge, writes a one-node slurm.conf for
# 127.0.0.1 in a temporary folder (own ports, own munge socket, nothing in /etc touched), starts
# munged (as the munge user), slurmctld -c and slurmd, submits, polls squeue, compares, and stops
# every daemon it started by its pid file, whatever happens (trap).
#
# Usage: .ci/slurm-test.sh [path/to/talentflow]   (default: .build/debug/talentflow)
# Needs root (for apt-get and the daemons). Without root and without CI set, it is skipped with
# a loud message; with CI set, no root is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
talentflow=$(realpath "${1:-.build/debug/talentflow}")

if [ "$(id -u)" != 0 ]; then
  if [ -z "${CI:-}" ]; then
    echo "############################################################################"
    echo "## SLURM TEST SKIPPED: it needs root to install and start slurmctld, slurmd"
    echo "## and munge. Run .ci/slurm-test.sh as root (or in CI) to test job arrays."
    echo "############################################################################"
    exit 0
  fi
  echo "slurm test: CI is set but this is not root; cannot install or start Slurm" >&2
  exit 1
fi
[ -x "$talentflow" ] || { echo "slurm test: no talentflow binary at $talentflow" >&2; exit 1; }

started=$(date +%s)
echo "-- installing slurmctld slurmd slurm-client munge"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null

work=$(mktemp -d /tmp/talentflow-slurm.XXXXXX)
chmod 755 "$work"
pidfiles=()

# Stops the daemons this script started, by their pid files, and removes the work folder.
cleanup() {
  local status=$?
  for pidfile in "${pidfiles[@]}"; do
    [ -s "$pidfile" ] || continue
    local pid
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$status" = 0 ]; then
    rm -rf "$work"
  else
    echo "slurm test: FAILED; logs and files kept in $work" >&2
  fi
}
trap cleanup EXIT

# munge: own key, pid and log files in a folder only the munge user may read, and its socket
# in a folder everyone may enter (munged insists on both).
mkdir -p "$work/munge" "$work/munge-socket"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chown -R munge:munge "$work/munge" "$work/munge-socket"
chmod 700 "$work/munge"
chmod 755 "$work/munge-socket"
chmod 400 "$work/munge/munge.key"
socket="$work/munge-socket/munge.sock"
pidfiles+=("$work/munge/munged.pid")
runuser -u munge -- munged --key-file="$work/munge/munge.key" --socket="$socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" \
  --seed-file="$work/munge/munged.seed"

# Slurm: one node, this host, on ports of its own.
host=$(hostname -s)
port=$((20000 + RANDOM % 20000))
cpus=$(nproc)
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=talentflow-ci
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=batch_sched_delay=0
MailProg=/bin/true
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
pidfiles+=("$work/slurmd.pid" "$work/slurmctld.pid")
slurmctld -c -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N "$host"

echo "-- waiting for the node"
for _ in $(seq 100); do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -n 1 || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || { echo "slurm test: node state '$state', not idle" >&2; tail "$work"/*.log >&2; exit 1; }

# The sweep: 2 × 2 design points × 2 replicates = 8 runs, in 3 array tasks.
cat >"$work/spec.json" <<'EOF'
{"name": "slurm-ci", "ticks": 12,
 "set": {"population.size": 500, "firms.startups": 20, "time.warmup": 6},
 "grid": {"policy.nonCompete": [0, 1]},
 "sample": {"method": "lhs", "points": 2, "seed": 5, "ranges": {"equity.optimism": [1, 5]}},
 "replicates": {"count": 2, "baseSeed": 7},
 "keep": "timeseries"}
EOF
cd "$work"
echo "-- submitting"
"$talentflow" sweep spec.json --emit-slurm "$work/slurm" --array-size 3 --time 00:05:00 \
  --out "$work/merged"
sh "$work/slurm/submit.sh"

echo "-- waiting for the array and the merge job"
for _ in $(seq 450); do
  queue=$(squeue -h -o '%i %T %r')
  [ -z "$queue" ] && break
  if grep -q DependencyNeverSatisfied <<<"$queue"; then
    echo "slurm test: an array task failed; the merge job can never start" >&2
    cat "$work"/slurm/logs/* >&2 || true
    exit 1
  fi
  sleep 0.2
done
[ -z "$queue" ] || { echo "slurm test: jobs still queued: $queue" >&2; exit 1; }
[ -f "$work/merged/manifest.json" ] || {
  echo "slurm test: no merged sweep" >&2; cat "$work"/slurm/logs/* >&2 || true; exit 1; }

echo "-- the same sweep, here"
"$talentflow" sweep spec.json --workers 2 --out "$work/local" --quiet
python3 - "$work/local" "$work/merged" <<'PY'
import json, os, sys
def tree(root):
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            data = open(path, "rb").read()
            if rel.startswith("runs/") and name == "manifest.json":
                # A run's own manifest records wall time and host under "run".
                m = json.loads(data)
                m.pop("run")
                data = json.dumps(m, sort_keys=True).encode()
            files[rel] = data
    return files
local, merged = tree(sys.argv[1]), tree(sys.argv[2])
assert sorted(local) == sorted(merged), f"different files: {sorted(set(local) ^ set(merged))}"
different = [name for name in local if local[name] != merged[name]]
assert not different, f"files differ: {different}"
print(f"slurm test: {len(local)} files byte-identical between the job array and the local sweep")
PY
echo "slurm test passed in $(($(date +%s) - started)) s"
