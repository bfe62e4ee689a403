/** `lpt check`: every diagnostic of every file, formatted with excerpts; exit 0 / 1 / 2. */
import test from 'ava';
import { resolve } from 'node:path';
import { main } from '../../../cli/main.ts';
import { recordingIO } from '../../helpers/cli_io.ts';

const root = resolve(import.meta.dirname, '../../..');
const fixture = (name: string): string => `test/fixtures/compiler/diagnostics/${name}`;

test('clean files exit 0 and print the count', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['check', 'experiments/quickstart.lpt', 'experiments/presets/lpt.lpt'], io), 0);
  t.regex(io.out.join(''), /0 errors, \d+ warnings? in 2 files/);
});

test('errors of several files are all printed, with file:line:col and a caret, exit 1', async (t) => {
  const io = recordingIO(root);
  const code = await main(['check', fixture('2019-invalid-choice.lpt'), fixture('2009-unknown-name.lpt')], io);
  t.is(code, 1);
  const out = io.out.join('');
  t.regex(
    out,
    /2019-invalid-choice\.lpt:3:\d+: error: 'meen' is not a valid value for 'combine'.*Did you mean 'mean'\? \[LPT2019\]/,
  );
  t.regex(out, /2009-unknown-name\.lpt:3:\d+: error: .*'sharde'\. Did you mean 'shared'\?/);
  t.regex(out, /\n\s+\|\s+\^+/);
  t.regex(out, /2 errors/);
});

test('a folder means every .lpt file below it', async (t) => {
  const io = recordingIO(root);
  // Every shipped file checks clean, LPT++ included (missing paper-scale files are warnings).
  t.is(await main(['check', 'experiments'], io), 0);
  const out = io.out.join('');
  t.regex(out, /0 errors, \d+ warnings in \d+ files/);
  t.false(out.split('\n').some((l) => /: error: /.test(l)));
});

test('--quiet hides warnings', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['check', '--quiet', fixture('2054-unused-module.lpt')], io), 0);
  t.notRegex(io.out.join(''), /warning:/);
});

test('no file, a missing file or an unknown option is bad usage (exit 2)', async (t) => {
  for (const args of [['check'], ['check', 'nope.lpt'], ['check', '--frobnicate', 'experiments/quickstart.lpt']]) {
    const io = recordingIO(root);
    t.is(await main(args, io), 2, args.join(' '));
    t.regex(io.err.join(''), /usage: lpt check/);
  }
});

test('--set is checked like source: exit 0 when good, 1 with the command line, a caret and a did-you-mean when bad', async (t) => {
  const good = recordingIO(root);
  t.is(
    await main(
      ['check', 'experiments/quickstart.lpt', '--set', 'phase.one.epochs=2', '--set', 'group.top=3', '--seeds', '0,1'],
      good,
    ),
    0,
  );
  t.regex(good.out.join(''), /0 errors/);
  const bad = recordingIO(root);
  t.is(await main(['check', 'experiments/quickstart.lpt', '--set', 'seed=1', '--set', 'phase.one.epoch=2'], bad), 1);
  const lines = bad.out.join('').split('\n');
  t.regex(
    lines[0]!,
    /^<command line>:1:30: error: Cannot override 'one\.epoch': .*Did you mean 'epochs'\? \[LPT2035\]$/,
  );
  t.is(lines[1], '  1 | --set seed=1 --set phase.one.epoch=2');
  t.is(lines[2], `    | ${' '.repeat('--set seed=1 --set phase.one.'.length)}^^^^^`);
  const unparsable = recordingIO(root);
  t.is(await main(['check', 'experiments/quickstart.lpt', '--set', 'one.epochs'], unparsable), 1);
  t.regex(unparsable.out.join(''), /'--set' is written as KEY=VALUE/);
  const usage = recordingIO(root);
  t.is(await main(['check', 'experiments/quickstart.lpt', '--set'], usage), 2);
});
