/**
 * The one-node Slurm cluster of the `--slurm` tests: scripts/ci/start_slurm.sh starts it (or finds
 * it running). Where it cannot (no slurm-wlm or munge, not root), the tests skip and the file says
 * once why.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const script = resolve(import.meta.dirname, '../../scripts/ci/start_slurm.sh');

/** null when the cluster is up; else the reason, printed once. */
export function slurmSkipReason(file: string): string | null {
  const r = spawnSync(script, [], { encoding: 'utf8', timeout: 120_000 });
  if (r.status === 0) return null;
  const why = (r.stdout + r.stderr).trim().split('\n').at(-1) ?? `${script} failed`;
  const reason = `${file}: Slurm tests skipped: ${why} (Debian packages slurm-wlm and munge: apt-get install -y slurm-wlm munge)`;
  console.log(reason);
  return reason;
}

/** Runs a Slurm command (scontrol, scancel) and returns its output; throws with Slurm's message when it fails. */
export function slurmCommand(command: string, ...args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}
