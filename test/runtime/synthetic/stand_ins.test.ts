/**
 * `--synthetic` stand-ins (runtime/synthetic/stand_ins.ts): for a plan whose data and weights are
 * missing, each stand-in is written under the run folder's synthetic/, announced once, and reads
 * back through the ordinary loaders as the plan declares it (layout, classes, architecture).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { compile } from '../../../compiler/compile.ts';
import { nodeCompilerHost } from '../../../compiler/node_host.ts';
import { loadCifarBinary } from '../../../runtime/data/cifar.ts';
import { loadImageFolder, loadSplitList } from '../../../runtime/data/files.ts';
import { standInMissingInputs } from '../../../runtime/synthetic/stand_ins.ts';
import { loadBackboneWeights } from '../../../runtime/weights/load.ts';
import { planInputs } from '../../../plan/paths.ts';

const experiment = `
experiment paper {
  seed 0
  classes 30
  data {
    train = split_list(root: "data/lt", list: "data/lt/train.txt") | random_resized_crop(size: 32) | flip
    val   = image_folder(root: "data/val") | resize(size: 40) | center_crop(size: 32)
    test  = cifar100(split: test, dir: "data/cifar")
  }
  backbone vit = vit(image: 32, patch: 16, dim: 64, depth: 2, heads: 2, channels: 3, weights: "w/vit.safetensors", naming: npz)
  prompt shared = deep(length: 2, layers: all) on vit
  head cls = cosine(scale: 20)
  phase one { train shared, cls; epochs 1; batch 2 }
  evaluate test { }
}
`;

test('every missing input gets an announced stand-in in the run folder, readable as the plan declares it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-stand-ins-'));
  try {
    writeFileSync(join(dir, 'paper.lpt'), experiment);
    const { plans, diagnostics } = compile(join(dir, 'paper.lpt'), nodeCompilerHost(dir));
    t.deepEqual(
      diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    const runDir = join(dir, 'run');
    const { plans: replaced, lines } = standInMissingInputs(plans, runDir);
    t.is(lines.length, 5, lines.join('\n')); // images, train list, image folder, cifar test.bin, weights
    for (const line of lines) t.regex(line, /^synthetic: .*, for .* \(missing\)$/);
    const plan = replaced[0]!;
    for (const input of planInputs(plan)) {
      t.true(input.path.startsWith(join(runDir, 'synthetic')), input.path);
      t.true(existsSync(input.path), input.path);
    }
    t.false(existsSync(join(dir, 'data')), 'nothing beside the user files');
    t.not(plan.hash, plans[0]!.hash);

    const [train, val, test_] = plan.data.splits;
    if (train!.source.kind !== 'split_list' || val!.source.kind !== 'image_folder' || test_!.source.kind !== 'cifar100')
      return t.fail('unexpected sources');
    const list = await loadSplitList(train!.source.list, train!.source.root, { classes: 30 });
    t.is(list.counts[0], 150, 'the head class');
    t.is(list.counts[29], 1, 'the tail class');
    t.is(new Set(list.files).size, 8, 'a few distinct images, listed over and over');
    const folder = await loadImageFolder(val!.source.root);
    t.is(folder.classes, 30);
    t.deepEqual([...folder.counts], Array(30).fill(1));
    const cifar = await loadCifarBinary(test_!.source.files, { variant: 100 });
    t.deepEqual([...cifar.counts], Array(100).fill(1));
    t.is(readdirSync(join(runDir, 'synthetic')).length, 6, "and the image folder's distinct images beside it");

    const weights = loadBackboneWeights(plan.backbones[0]!.weights!.path, { naming: 'npz', heads: 2 });
    t.like(weights.config, { imageSize: 32, patchSize: 16, dim: 64, depth: 2, heads: 2, channels: 3 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inputs that exist are used as they are: no stand-ins, the plans unchanged', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-stand-ins-'));
  try {
    writeFileSync(join(dir, 'paper.lpt'), experiment);
    const { plans } = compile(join(dir, 'paper.lpt'), nodeCompilerHost(dir));
    const first = standInMissingInputs(plans, join(dir, 'run'));
    const again = standInMissingInputs(first.plans, join(dir, 'run2'));
    t.deepEqual(again.lines, []);
    t.deepEqual(again.plans, first.plans);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
