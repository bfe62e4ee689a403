/**
 * One training step: gradients and optimiser updates are computed in runtime/train/step.ts and
 * nowhere else in the runtime, the benchmark or the CLI, and both the executor and the benchmark
 * build their steps with createTrainStep (and predict with predictClasses), so `npm run bench`
 * times what `lpt run` executes.
 */
import test from 'ava';
import { code, sources } from '../helpers/sources.ts';

test('gradients are taken in runtime/train/step.ts only', (t) => {
  const taking = [...sources('runtime'), ...sources('bench'), ...sources('cli')].filter((f) =>
    /\b(variableGrads|valueAndGrads?|grads?)\(|\.minimize\(/.test(code(f).replace(/tf\.customGrad\(/g, '')),
  );
  t.deepEqual(taking, ['runtime/train/step.ts']);
});

test('the executor and the benchmark build the same step and the same prediction', (t) => {
  t.regex(code('runtime/run/phase.ts'), /createTrainStep\(/);
  t.regex(code('bench/lpt_steps.ts'), /createTrainStep\(/);
  t.regex(code('runtime/run/evaluate.ts'), /predictClasses\(/);
  t.regex(code('bench/lpt_steps.ts'), /predictClasses\(/);
});
