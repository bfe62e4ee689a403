/**
 * `micro_batch N` in a phase: written into the plan (inherited through `after` like `batch`),
 * absent when not written (the runtime then chooses it), and never larger than the batch (2076).
 */
import test from 'ava';
import { codes, compileText } from '../helpers/compile_source.ts';

test('micro_batch reaches the plan, inherited by a later phase; without it the plan leaves it to the runtime', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base {
  phase one { batch 8; micro_batch 3 }
  phase two after one { train cls }
}
experiment y extends base { }`);
  t.deepEqual(codes(result), []);
  const [x, y] = result.plans;
  t.deepEqual(
    x!.phases.map((p) => [p.batch, p.microBatch]),
    [
      [8, 3],
      [8, 3],
    ],
  );
  t.false('microBatch' in y!.phases[0]!);
});

test('a micro_batch larger than the batch, written or inherited, is error 2076', (t) => {
  const written = compileText(`import "base.lpt"
experiment x extends base { phase one { micro_batch 9 } }`);
  t.deepEqual(codes(written), [2076]);
  t.regex(written.diagnostics[0]!.message, /micro_batch 9, larger than its batch 8/);
  const inherited = compileText(`import "base.lpt"
experiment x extends base {
  phase one { batch 8; micro_batch 6 }
  phase two after one { train cls; batch 4 }
}`);
  t.deepEqual(codes(inherited), [2076]);
  t.regex(inherited.diagnostics[0]!.message, /Phase 'two' has micro_batch 6, larger than its batch 4/);
});
