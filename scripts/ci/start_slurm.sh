#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine for the `lpt run --slurm` tests (Debian 12's
# slurm-wlm and munge: apt-get install -y slurm-wlm munge). Writes /etc/slurm/slurm.conf for one
# node (this host, at 127.0.0.1, with its real CPU count and memory), makes a munge key if there is
# none, starts munged, slurmctld and slurmd, and waits until `sinfo` shows the node idle.
# Idempotent: daemons already running are left running (restarted when slurm.conf changed), and
# a node already idle (or busy) is up. Run as root. Prints one line; exit status 0 when the cluster is up, 1 otherwise.
# The container has no systemd and no writable cgroup tree, so processes are tracked with
# proctrack/linuxproc and tasks are not confined (task/none); memory is still a consumable resource.
set -uo pipefail

say() { echo "start-slurm: $*"; }
fail() {
  say "$*"
  exit 1
}

node_state() { sinfo -h -N -o '%T' 2>/dev/null | head -n 1; }

for tool in munged slurmctld slurmd sinfo sbatch; do
  command -v "$tool" >/dev/null || fail "no $tool on PATH; install Debian's slurm-wlm and munge (apt-get install -y slurm-wlm munge)"
done
if [ "$(id -u)" -ne 0 ]; then
  case "$(node_state)" in idle | mixed | allocated) say "the one-node cluster is up (not root: slurm.conf left as it is)" && exit 0 ;; esac
  fail "needs root to write /etc/slurm/slurm.conf and start munged, slurmctld and slurmd (sudo $0)"
fi

node=$(hostname -s)
cpus=$(nproc --all)
memory_mb=$(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024))
conf=/etc/slurm/slurm.conf
mkdir -p /etc/slurm /var/lib/slurm/slurmctld /var/lib/slurm/slurmd /var/log/slurm /run/munge /run/slurm
chown slurm:slurm /var/lib/slurm/slurmctld /var/log/slurm /run/slurm 2>/dev/null || true

cat >"$conf.new" <<EOF
# Written by lpt's scripts/ci/start_slurm.sh: a one-node test cluster on this machine.
ClusterName=lpt-test
SlurmctldHost=${node}(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
JobRequeue=1
# Finished jobs stay visible to squeue/scontrol for an hour (there is no accounting database).
MinJobAge=3600
KillWait=10
# A requeued job waits this long before it starts again (default 120 s): short for the tests.
AuthInfo=cred_expire=10
SchedulerParameters=sched_interval=2
NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${memory_mb} State=UNKNOWN
PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP
EOF
if cmp -s "$conf.new" "$conf"; then
  rm "$conf.new"
else
  mv "$conf.new" "$conf"
  # Some settings (cred_expire) are read only at start: restart daemons that run an older slurm.conf.
  if pgrep -x slurmctld >/dev/null; then
    scontrol shutdown >/dev/null 2>&1
    for _ in $(seq 1 30); do pgrep -x 'slurmctld|slurmd' >/dev/null || break; sleep 1; done
  fi
fi

if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null || fail "cannot write /etc/munge/munge.key"
fi
chown munge:munge /etc/munge/munge.key /run/munge && chmod 400 /etc/munge/munge.key

pgrep -u munge -x munged >/dev/null || runuser -u munge -- munged 2>/dev/null || munged --force 2>/dev/null ||
  fail "munged did not start (see /var/log/munge/munged.log)"
pgrep -x slurmctld >/dev/null || slurmctld || fail "slurmctld did not start (see /var/log/slurm/slurmctld.log)"
pgrep -x slurmd >/dev/null || slurmd || fail "slurmd did not start (see /var/log/slurm/slurmd.log)"

for _ in $(seq 1 60); do
  state=$(node_state)
  case "$state" in
  idle | mixed | allocated) say "the one-node cluster is up: node $node, $cpus CPUs, $memory_mb MB, partition debug" && exit 0 ;;
  down* | drain*) scontrol update nodename="$node" state=resume 2>/dev/null ;;
  esac
  sleep 1
done
fail "the node did not become idle in 60 s (sinfo says '${state:-nothing}'; see /var/log/slurm/)"
