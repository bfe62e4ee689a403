import test from 'ava';
import { BenchArgsError, leverChoices, parseBenchArgs } from '../../bench/args.ts';
import { PLAIN_SPEED } from '../../runtime/model/speed.ts';

test("bench args: defaults are the issue's six measurements with the PyTorch peer", (t) => {
  const args = parseBenchArgs([]);
  t.deepEqual(args.phases, ['1', '2', 'infer']);
  t.deepEqual(args.batches, [32, 128]);
  t.true(args.torch && !args.json && args.compare === null && !args.queryCache);
  t.like(args, { backend: null, config: 'small' });
});

test('bench args: --backend and the ViT-B/16 configuration, whose default batch is 8', (t) => {
  t.like(parseBenchArgs(['--backend', 'webgpu', '--config', 'vitb16']), {
    backend: 'webgpu',
    config: 'vitb16',
    batches: [8],
  });
  t.deepEqual(parseBenchArgs(['--config', 'vitb16', '--batches', '2']).batches, [2]);
});

test('bench args: --memory measures at batches 1 and 2 unless --batches says otherwise', (t) => {
  t.false(parseBenchArgs([]).memory);
  t.like(parseBenchArgs(['--config', 'vitb16', '--memory']), { memory: true, batches: [1, 2] });
  t.deepEqual(parseBenchArgs(['--memory', '--batches', '2,4']).batches, [2, 4]);
});

test('bench args: selections, levers and comparisons', (t) => {
  const args = parseBenchArgs([
    '--json',
    '--phases',
    '2,infer',
    '--batches',
    '8',
    '--steps',
    '1',
    '--warmup',
    '0',
    '--no-torch',
    '--attention',
    'split',
    '--queryCache',
    'on',
    '--compare',
    'gelu',
  ]);
  t.like(args, {
    json: true,
    phases: ['2', 'infer'],
    batches: [8],
    steps: 1,
    warmup: 0,
    torch: false,
    queryCache: true,
    compare: 'gelu',
  });
  t.deepEqual(args.levers, { attention: 'split' });
  t.deepEqual(parseBenchArgs(['--all', 'plain']).levers, PLAIN_SPEED);
  t.deepEqual(leverChoices('queryCache'), ['on', 'off']);
});

test('bench args: bad input is a BenchArgsError naming the option', (t) => {
  for (const [argv, pattern] of [
    [['--phases', '3'], /--phases/],
    [['--config', 'vitl'], /--config takes a list of small, vitb16/],
    [['--backend'], /--backend needs/],
    [['--batches', '0'], /--batches/],
    [['--attention', 'fast'], /--attention/],
    [['--compare', 'speed'], /--compare/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
  ] as const) {
    t.throws(() => parseBenchArgs(argv), { instanceOf: BenchArgsError, message: pattern });
  }
});

test('bench args: --micro-batch splits the training steps (default: the whole batch)', (t) => {
  t.is(parseBenchArgs([]).microBatch, null);
  t.is(parseBenchArgs(['--micro-batch', '4']).microBatch, 4);
  t.throws(() => parseBenchArgs(['--micro-batch', '0']), { instanceOf: BenchArgsError, message: /--micro-batch/ });
});

test('bench args: the PyTorch peers are both models with tcmalloc and the glibc tunables, passive, unless the flags say otherwise', (t) => {
  t.like(parseBenchArgs([]), {
    torchModels: ['timm', 'encoder'],
    torchAllocators: ['tcmalloc', 'glibc'],
    torchWaits: ['passive'],
    rounds: 3,
  });
  t.like(
    parseBenchArgs(['--torch-models', 'encoder', '--torch-allocators', 'tcmalloc,glibc', '--torch-waits', 'active']),
    { torchModels: ['encoder'], torchAllocators: ['tcmalloc', 'glibc'], torchWaits: ['active'] },
  );
  t.throws(() => parseBenchArgs(['--torch-allocators', 'mimalloc']), {
    instanceOf: BenchArgsError,
    message: /--torch-allocators takes a list of jemalloc, tcmalloc, glibc, default, got 'mimalloc'/,
  });
});
