import test from 'ava';
import { join } from 'node:path';
import { nodeCompilerHost } from '../../../compiler/node_host.ts';
import { compile } from '../../../compiler/compile.ts';
import { missingInputs } from '../../../runtime/run/preflight.ts';

const root = join(import.meta.dirname, '../../..');
const plan = compile(join(root, 'test/fixtures/clip_text/tiny_vl.lpt'), nodeCompilerHost(root), {
  runtimeSupport: false,
}).plans[0]!;

test("a text head's checkpoint and class-name file are inputs the run needs", (t) => {
  t.deepEqual(
    missingInputs(plan).filter((l) => l.includes('text head')),
    [],
  );
  const head = plan.modules.heads[0]!;
  if (head.kind !== 'text' || head.encoder === null) return t.fail('no encoder head');
  const moved = {
    ...plan,
    modules: {
      ...plan.modules,
      heads: [
        {
          ...head,
          classnames: 'nowhere/digits.txt',
          encoder: { ...head.encoder, weights: 'nowhere/clip.safetensors' },
        },
      ],
    },
  };
  t.deepEqual(
    missingInputs(moved).filter((l) => l.includes('text head')),
    [
      "test/fixtures/clip_text/tiny_vl.lpt: text head 'words': nowhere/clip.safetensors does not exist",
      "test/fixtures/clip_text/tiny_vl.lpt: text head 'words': nowhere/digits.txt does not exist",
    ],
  );
});
