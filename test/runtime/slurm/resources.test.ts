/**
 * What a --slurm task asks for (runtime/slurm/resources.ts): a `slurm(...)` statement, checked by
 * the compiler and carried in the plan; `--slurm-option KEY=VALUE` winning over it; the estimates
 * where neither says; the sbatch options and `lpt compile --summary`'s line.
 */
import test from 'ava';
import { resolve } from 'node:path';
import { main } from '../../../cli/main.ts';
import {
  describeResources,
  estimatedMemoryMb,
  parseSlurmOptions,
  resourceArguments,
  taskResources,
} from '../../../runtime/slurm/resources.ts';
import { recordingIO } from '../../helpers/cli_io.ts';
import { compileText } from '../../helpers/compile_source.ts';

const root = resolve(import.meta.dirname, '../../..');

const withSlurm = (statement: string) =>
  compileText(`import "base.lpt"\nexperiment x extends base {\n  ${statement}\n}\n`);

test('slurm(...) is checked by the compiler and its written arguments go into the plan', (t) => {
  const ok = withSlurm('slurm(partition: "gpu", time: "4:00:00", gpus: 2, options: ["--mail-type=END"])');
  t.deepEqual(
    ok.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  t.deepEqual(ok.plans[0]!.slurm, { partition: 'gpu', time: '4:00:00', gpus: 2, options: ['--mail-type=END'] });
  const bad = withSlurm('slurm(partiton: "gpu", cpus: 0)');
  const messages = bad.diagnostics.map((d) => d.message).join('\n');
  t.regex(messages, /Unknown argument 'partiton' of slurm\(\)/);
  t.regex(messages, /'cpus' must be >= 1; got 0/);
  t.is(withSlurm('').plans[0]!.slurm, undefined, 'no statement, no field: the plan keeps its hash');
});

test('--slurm-option wins over the file; unknown keys become sbatch options; the rest is estimated', (t) => {
  const plan = withSlurm('slurm(partition: "gpu", cpus: 8, options: ["--mail-type=END"])').plans[0]!;
  const r = taskResources(plan, parseSlurmOptions(['partition=debug', 'time=30', 'exclusive=user']));
  t.deepEqual(resourceArguments(r), [
    '--cpus-per-task=8',
    `--mem=${estimatedMemoryMb(plan)}M`,
    '--signal=USR1@120',
    '--partition=debug',
    '--time=30',
    '--mail-type=END',
    '--exclusive=user',
  ]);
  t.true(estimatedMemoryMb(plan) >= 2048 && estimatedMemoryMb(plan) % 256 === 0);
  t.is(taskResources({ ...plan, backend: 'node_gpu' }).gpus, 1, 'a GPU backend asks for one GPU');
  t.is(taskResources({ ...plan, backend: 'node_gpu' }, parseSlurmOptions(['gpus=0'])).gpus, 0);
  t.throws(() => parseSlurmOptions(['cpus=two']), { message: /--slurm-option cpus=two: cpus takes a whole number/ });
  t.throws(() => parseSlurmOptions(['Partition']), { message: /expected KEY=VALUE/ });
  t.regex(describeResources(r), /^8 CPUs, \d+M memory, 0 GPUs, time 30, partition debug/);
});

test('lpt compile --summary shows what each Slurm task requests', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['compile', 'experiments/quickstart.lpt', '--summary'], io), 0);
  t.regex(io.out.join(''), /slurm task \(lpt run --slurm\): 2 CPUs, \d+M memory, 0 GPUs, USR1 120 s before the limit/);
});
