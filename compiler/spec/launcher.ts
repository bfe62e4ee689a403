/**
 * Spec of the launcher call: `slurm(partition: "gpu", time: "24:00:00", ...)`, what every task of
 * `lpt run --slurm` asks the cluster for (docs/SLURM.md). A lab keeps it in one preset; the
 * command line's `--slurm-option KEY=VALUE` wins over it. Local runs and the queue ignore it.
 */
import { derived, type CallSpec } from './types.ts';

export const slurmSpecs = [
  {
    name: 'slurm',
    family: 'slurm',
    doc: "How `lpt run --slurm` asks Slurm for each task (one task per plan); absent arguments take lpt's estimate or the cluster's default.",
    example: 'slurm(partition: "gpu", account: "lab", time: "24:00:00", constraint: "a100")',
    args: [
      { name: 'partition', type: { kind: 'string' }, doc: 'sbatch --partition.' },
      { name: 'account', type: { kind: 'string' }, doc: 'sbatch --account.' },
      {
        name: 'time',
        type: { kind: 'string' },
        doc: 'sbatch --time: the time limit of one task ("MINUTES", "HH:MM:SS", "D-HH:MM:SS"); a task at its limit checkpoints and requeues itself.',
      },
      {
        name: 'gpus',
        type: { kind: 'int', min: 0 },
        default: derived('1 when the backend is node_gpu or webgpu, else 0'),
        doc: 'sbatch --gpus.',
      },
      { name: 'cpus', type: { kind: 'int', min: 1 }, default: derived('2'), doc: 'sbatch --cpus-per-task.' },
      {
        name: 'mem',
        type: { kind: 'string' },
        default: derived("2 GiB + the compiler's memory estimate (lpt compile --summary)"),
        doc: 'sbatch --mem ("16G", "16000M").',
      },
      { name: 'constraint', type: { kind: 'string' }, doc: 'sbatch --constraint (node features, "a100").' },
      { name: 'qos', type: { kind: 'string' }, doc: 'sbatch --qos.' },
      {
        name: 'signal',
        type: { kind: 'int', min: 10 },
        default: derived('120'),
        doc: 'Seconds before the time limit at which Slurm signals the task to checkpoint and requeue itself.',
      },
      {
        name: 'options',
        type: { kind: 'list', of: { kind: 'string' } },
        doc: 'Further sbatch options, as written on its command line (["--mail-type=END"]).',
      },
    ],
  },
] as const satisfies readonly CallSpec[];
