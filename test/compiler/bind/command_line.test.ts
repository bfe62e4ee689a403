/**
 * The command line's `--set KEY=VALUE` and `--seeds`: checked like source at the argument (in the
 * virtual file `<command line>`), applied last to every experiment and variant, recorded in the
 * plan; seeds give one plan per seed with `replicateOf`.
 */
import test from 'ava';
import type { CommandLine } from '../../../compiler/bind/command_line.ts';
import { COMMAND_LINE_FILE } from '../../../compiler/bind/command_line.ts';
import type { CompileResult } from '../../../compiler/compile.ts';
import { codes, compileText } from '../../helpers/compile_source.ts';

const twoPhases = `import "base.lpt"
experiment x extends base {
  label "LPT"
  prompt group = pool(size: 4, length: 2, layers: last_half, top: 2, query: shared) on vit
  phase two after one { train group, cls }
}
ablation baseline of x {
  variant "VPT" { drop two, group }
}`;

const withCommandLine = (commandLine: CommandLine, source = twoPhases): CompileResult =>
  compileText(source, {}, { commandLine });

/** The diagnostic's span as the command-line text it covers. */
function covered(result: CompileResult, code: number): string {
  const d = result.diagnostics.find((x) => x.code === code);
  if (!d) return `no ${code}: ${JSON.stringify(result.diagnostics.map((x) => [x.code, x.message]))}`;
  if (d.span.file !== COMMAND_LINE_FILE) return `${code} is in ${d.span.file}`;
  return result.sources.get(COMMAND_LINE_FILE)!.slice(d.span.start, d.span.end);
}

test('without a command line the plans carry no overrides field (their hashes are unchanged)', (t) => {
  const plain = compileText(twoPhases);
  t.deepEqual(codes(plain), []);
  for (const plan of plain.plans) {
    t.false('overrides' in plan);
    t.false('replicateOf' in plan);
  }
});

test('good overrides change every plan they apply to and are recorded as written', (t) => {
  const plain = compileText(twoPhases);
  const result = withCommandLine({ set: ['phase.one.epochs=3', 'group.top=1', 'seed=5'] });
  t.deepEqual(codes(result), []);
  const [lpt, vpt] = result.plans;
  t.is(lpt!.phases[0]!.epochs, 3);
  t.is(lpt!.modules.pools[0]!.top, 1);
  t.is(lpt!.seed, 5);
  t.is(lpt!.data.splits[0]!.longtail!.seed, 5, 'the seed reaches what derives from it');
  t.deepEqual(lpt!.overrides, ['phase.one.epochs=3', 'group.top=1', 'seed=5']);
  t.not(lpt!.hash, plain.plans[0]!.hash);
  // The variant dropped the pool: that override skips it, the others apply.
  t.is(vpt!.phases[0]!.epochs, 3);
  t.deepEqual(vpt!.overrides, ['phase.one.epochs=3', 'seed=5']);
});

test('`phase.one.epochs` and the ablation form `one.epochs` are the same override', (t) => {
  const a = withCommandLine({ set: ['phase.one.epochs=3'] }).plans[0]!;
  const b = withCommandLine({ set: ['one.epochs=3'] }).plans[0]!;
  t.deepEqual({ ...a, hash: '', overrides: [] }, { ...b, hash: '', overrides: [] });
});

test('the command line wins over a variant’s own vary of the same key', (t) => {
  const source = `import "base.lpt"
experiment x extends base { }
ablation epochs of x { vary one.epochs = [1, 2] }`;
  const result = withCommandLine({ set: ['one.epochs=5'] }, source);
  t.deepEqual(codes(result), []);
  t.deepEqual(
    result.plans.map((p) => [p.name, p.phases[0]!.epochs]),
    [
      ['x', 5],
      ['x/epochs/one.epochs=1', 5],
      ['x/epochs/one.epochs=2', 5],
    ],
  );
});

test('a bad key is an error at the argument, with a did-you-mean, and no plan', (t) => {
  const result = withCommandLine({ set: ['seed=1', 'phase.one.epoch=2'] });
  t.deepEqual(result.plans, []);
  const d = result.diagnostics.find((x) => x.code === 2035)!;
  t.regex(d.message, /Did you mean 'epochs'\?/);
  t.is(result.sources.get(COMMAND_LINE_FILE), '--set seed=1 --set phase.one.epoch=2');
  t.is(covered(result, 2035), 'epoch', 'the caret is under the part at fault');
  t.is(covered(withCommandLine({ set: ['grop.top=3'] }), 2035), 'grop');
  t.regex(withCommandLine({ set: ['grop.top=3'] }).diagnostics[0]!.message, /Did you mean 'group'\?/);
  t.is(covered(withCommandLine({ set: ['group.tpo=3'] }), 2003), 'tpo');
});

test('a bad value is checked as source: type, range and parse errors point into the argument', (t) => {
  t.is(covered(withCommandLine({ set: ['one.epochs=two'] }), 2004), 'two');
  t.is(covered(withCommandLine({ set: ['one.epochs=-1'] }), 2005), '-1');
  t.is(covered(withCommandLine({ set: ['one.loss=agcl -'] }), 1106), '');
  t.is(covered(withCommandLine({ set: ['one.epochs'] }), 2014), '--set one.epochs');
  t.is(covered(withCommandLine({ set: ['seed=1 seed=2'] }), 2014), '--set seed=1 seed=2');
});

test('--seeds: one plan per seed of every plan, named by seed, sharing replicateOf', (t) => {
  const result = withCommandLine({ seeds: '0, 2' });
  t.deepEqual(codes(result), []);
  t.deepEqual(
    result.plans.map((p) => [p.name, p.variant?.name ?? null, p.seed, p.replicateOf, p.data.splits[0]!.longtail!.seed]),
    [
      ['x, seed=0', null, 0, 'LPT', 0],
      ['x, seed=2', null, 2, 'LPT', 2],
      ['x/baseline/VPT, seed=0', 'VPT, seed=0', 0, 'VPT', 0],
      ['x/baseline/VPT, seed=2', 'VPT, seed=2', 2, 'VPT', 2],
    ],
  );
  // Only its own seed is in a plan: adding a seed leaves the other seeds' hashes alone.
  const more = withCommandLine({ seeds: '0,1,2' });
  t.is(more.plans.find((p) => p.name === 'x, seed=2')!.hash, result.plans[1]!.hash);
});

test('vary seed in an ablation gives seeds of one row; --seeds replaces them', (t) => {
  const source = `import "base.lpt"
experiment x extends base { }
ablation rows of x {
  variant "A" { one.epochs = 2; vary seed = [0, 1] }
  vary one.batch = [4]
  vary seed = [3]
}`;
  const own = compileText(source);
  t.deepEqual(codes(own), []);
  t.deepEqual(
    own.plans.map((p) => [p.name, p.seed, p.replicateOf ?? null]),
    [
      ['x', 0, null],
      ['x/rows/A, seed=0', 0, 'A'],
      ['x/rows/A, seed=1', 1, 'A'],
      ['x/rows/one.batch=4, seed=3', 3, 'one.batch=4'],
    ],
  );
  const cli = compileText(source, {}, { commandLine: { seeds: '7' } });
  t.deepEqual(
    cli.plans.map((p) => [p.name, p.seed]),
    [
      ['x, seed=7', 7],
      ['x/rows/A, seed=7', 7],
      ['x/rows/one.batch=4, seed=7', 7],
    ],
  );
});

test('bad --seeds: not a whole number, a repeated seed, and --set seed= beside --seeds', (t) => {
  t.is(covered(withCommandLine({ seeds: '0,x' }), 2014), 'x');
  const repeated = withCommandLine({ seeds: '1,2,1' });
  t.is(covered(repeated, 2008), '1');
  t.is(repeated.diagnostics[0]!.span.start, '--seeds 1,2,'.length);
  const both = withCommandLine({ set: ['seed=3'], seeds: '1' });
  t.is(covered(both, 2008), 'seed');
  t.deepEqual(both.plans, []);
});

test('`seeds 0, 1` in an experiment: every plan, variants included, once per seed; vary seed and --seeds win over it', (t) => {
  const source = `import "base.lpt"
experiment x extends base { seeds 0, 1 }
ablation rows of x {
  variant "A" { one.epochs = 2 }
  variant "B" { vary seed = [9] }
}`;
  const own = compileText(source);
  t.deepEqual(codes(own), []);
  t.deepEqual(
    own.plans.map((p) => [p.name, p.seed, p.replicateOf]),
    [
      ['x, seed=0', 0, 'x'],
      ['x, seed=1', 1, 'x'],
      ['x/rows/A, seed=0', 0, 'A'],
      ['x/rows/A, seed=1', 1, 'A'],
      ['x/rows/B, seed=9', 9, 'B'],
    ],
  );
  t.deepEqual(
    compileText(source, {}, { commandLine: { seeds: '4' } }).plans.map((p) => p.name),
    ['x, seed=4', 'x/rows/A, seed=4', 'x/rows/B, seed=4'],
  );
  // `--set seed=N` has the last word over the file's seeds as well: one run each, with that seed.
  const one = compileText(source, {}, { commandLine: { set: ['seed=6'] } });
  t.deepEqual(
    one.plans.map((p) => [p.name, p.seed, p.replicateOf ?? null, p.overrides]),
    [
      ['x', 6, null, ['seed=6']],
      ['x/rows/A', 6, null, ['seed=6']],
      ['x/rows/B', 6, null, ['seed=6']],
    ],
  );
  const repeated = compileText(`import "base.lpt"\nexperiment x extends base { seeds 3, 3 }`);
  t.deepEqual(codes(repeated), [2008]);
  t.is(repeated.diagnostics[0]!.span.start, `import "base.lpt"\nexperiment x extends base { seeds 3, `.length);
  t.deepEqual(codes(compileText(`import "base.lpt"\nexperiment x extends base { seeds 0, -1 }`)), [2005]);
});
