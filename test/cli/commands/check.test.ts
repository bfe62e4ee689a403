/** `lpt check`: every diagnostic of every file, formatted with excerpts; exit 0 / 1 / 2. */
import test from 'ava';
import { resolve } from 'node:path';
import { main } from '../../../cli/main.ts';
import { recordingIO } from '../../helpers/cliIO.ts';

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
  t.regex(out, /2019-invalid-choice\.lpt:3:\d+: error: 'meen' is not a valid value for 'combine'.*Did you mean 'mean'\? \[LPT2019\]/);
  t.regex(out, /2009-unknown-name\.lpt:3:\d+: error: .*'sharde'\. Did you mean 'shared'\?/);
  t.regex(out, /\n\s+\|\s+\^+/);
  t.regex(out, /2 errors/);
});

test('a folder means every .lpt file below it', async (t) => {
  const io = recordingIO(root);
  // Every file checks clean but LPT++, whose scorer, second expert and text head the runtime does not run yet.
  t.is(await main(['check', 'experiments'], io), 1);
  const out = io.out.join('');
  t.regex(out, /in \d+ files/);
  const errors = out.split('\n').filter((l) => /: error: /.test(l));
  t.true(errors.length > 0);
  for (const line of errors) t.regex(line, /^experiments\/lptpp_places_lt\.lpt:\d+:\d+: error: .*\[LPT5001\]$/);
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
