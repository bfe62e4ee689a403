/**
 * Emitted defaults come from the spec tables the docs are generated from: a phase that leaves out
 * sample, optim, schedule and loss gets exactly what compiler/spec/keywords.ts
 * declares, and dual sampling's weight is the spec's written default, parsed.
 */
import test from 'ava';
import { sourceDefault } from '../../../compiler/plan/defaults.ts';
import { anyKeyword } from '../../../compiler/spec/keywords.ts';
import { compileText } from '../../helpers/compile_source.ts';

const specDefault = (keyword: string) => {
  const d = anyKeyword(keyword)?.default;
  return d && 'value' in d ? d.value : undefined;
};

test('a phase without settings gets the keyword defaults of the spec', (t) => {
  const { plans, diagnostics } = compileText('import "base.lpt"\nexperiment x extends base { }\n');
  t.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const phase = plans[0]!.phases[0]!;
  t.is<string, string>(phase.sampler.kind, String(specDefault('sample')));
  t.is<string, string>(phase.optimizer.kind, String(specDefault('optim')));
  t.is<string, string>(phase.schedule.kind, String(specDefault('schedule')));
  t.deepEqual(
    phase.loss.map((l) => l.loss),
    [specDefault('loss')],
  );
  t.is(phase.epochs, 1, 'the base sets epochs 1');
});

test("dual sampling's default weight is the spec's written default", (t) => {
  t.deepEqual(sourceDefault('sampler', 'dual', 'weight'), {
    kind: 'schedule',
    scale: 1,
    linear: [{ from: 0.5, to: 0 }],
  });
  const { plans } = compileText(
    'import "base.lpt"\nexperiment x extends base { phase one { sample dual(per_class: 2) } }\n',
  );
  t.deepEqual(plans[0]!.phases[0]!.sampler, {
    kind: 'dual',
    perClass: 2,
    weight: { scale: 1, linear: [{ from: 0.5, to: 0 }] },
  });
});

test('a default that is not in the spec is a compiler bug, not a silent value', (t) => {
  t.throws(() => sourceDefault('sampler', 'dual', 'per_class'), { message: /no default/ });
});
