/**
 * The VL expert before training is CLIP's zero-shot classifier: a text head on a CLIP image tower
 * classifies the feature through CLIP's own visual projection with class embeddings averaged
 * over a template ensemble. Checked against PyTorch (scripts/fixtures/make_clip_zero_shot_fixtures.py,
 * a tiny random CLIP under OpenAI names, and OpenAI's 80 ImageNet templates read from its notebook).
 */
import test from 'ava';
import { main } from '../../../cli/main.ts';
import { textEmbeddingCacheDir } from '../../../runtime/text/text_cache.ts';
import { readNpy } from '../../../runtime/weights/npy.ts';
import { recordingIO } from '../../helpers/cli_io.ts';
import { textHeadScale } from '../../../runtime/text/logit_scale.ts';
import { readSafetensors, writeSafetensors } from '../../../runtime/weights/safetensors.ts';
import * as tf from '@tensorflow/tfjs-core';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeCompilerHost } from '../../../compiler/node_host.ts';
import { compile } from '../../../compiler/compile.ts';
import { templateSets } from '../../../compiler/spec/template_sets.ts';
import type { Plan } from '../../../plan/plan.ts';
import { disposeLptModel, predictLogits, trainableParameterCount } from '../../../runtime/model/lpt_model.ts';
import { buildBackbone, buildExpert } from '../../../runtime/build/experts.ts';
import { prepareTextHeads } from '../../../runtime/build/text_head.ts';
import { UserError } from '../../../runtime/errors.ts';
import { classEmbeddings, type TextHead } from '../../../runtime/text/class_embeddings.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { withTempDirAsync } from '../weights/fixtures.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/clip_zero_shot');
const reference = JSON.parse(readFileSync(join(fixtures, 'zero_shot.json'), 'utf8')) as {
  classes: string[];
  templates: string[];
  images: number[][][][];
  classEmbeddings: number[][];
  logitScale: number;
  logits: number[][];
};

test.before(async () => {
  await useTestBackend();
});

/** The fixture model as an experiment whose only expert is the CLIP image tower with a text head. */
function compileZeroShot(dir: string, head: string, backbone = 'naming: clip'): Plan {
  copyFileSync(join(fixtures, 'clip.safetensors'), join(dir, 'clip.safetensors'));
  const classes = reference.classes.map((c) => JSON.stringify(c)).join(', ');
  writeFileSync(
    join(dir, 'exp.lpt'),
    `experiment zero_shot {
      classes 4
      backbone clip = vit(image: 16, patch: 4, dim: 128, depth: 2, heads: 2, channels: 3, eps: 1e-5,
                          weights: "clip.safetensors", ${backbone})
      data {
        train = image_folder(root: "images")
        test  = image_folder(root: "images")
      }
      head words = text(encoder: clip, classes: [${classes}], embed_dim: 6, ${head})
      expert vl = expert(backbone: clip, head: words)
      phase one { train words; epochs 1; batch 2 }
      evaluate test { }
    }`,
  );
  // Compiled from the working directory: the temporary files get absolute plan paths.
  const { diagnostics, plans } = compile(join(dir, 'exp.lpt'), nodeCompilerHost(process.cwd()), {
    runtimeSupport: false,
  });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || plans.length !== 1) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  return { ...plans[0]!, out: join(dir, 'runs') };
}

const textHead = (plan: Plan): TextHead => plan.modules.heads.find((h): h is TextHead => h.kind === 'text')!;

const maxDiff = (data: Float32Array | Int32Array | Uint8Array, rows: number[][]) =>
  Math.max(...rows.flat().map((v, i) => Math.abs(v - data[i]!)));

test("lpt's imagenet80 set is OpenAI's list of 80 ImageNet templates, in the notebook's order", (t) => {
  t.deepEqual([...templateSets.imagenet80], reference.templates);
});

test.serial('templates: imagenet80 gives the reference ensemble class embeddings', async (t) => {
  await withTempDirAsync(async (dir) => {
    const plan = compileZeroShot(dir, 'templates: imagenet80');
    const head = textHead(plan);
    t.deepEqual(head.templates, reference.templates, 'the plan writes the set out');
    t.is(head.projection, 'frozen');
    t.is(head.params, 4 * 6, 'the class weights train; the frozen projection does not count');
    const notes: string[] = [];
    const { embeddings } = await classEmbeddings(head, { cacheDir: join(dir, 'cache'), onNote: (n) => notes.push(n) });
    t.true(maxDiff(embeddings.data, reference.classEmbeddings) <= 1e-5);
    t.regex(notes[0]!, /embedded 4 class names in 80 templates/);
  });
});

test.serial('a templates file is the same ensemble, and the cache keys on the templates', async (t) => {
  await withTempDirAsync(async (dir) => {
    writeFileSync(join(dir, 'templates.txt'), `${reference.templates.join('\n')}\n`);
    const fromFile = textHead(compileZeroShot(dir, 'templates: "templates.txt"'));
    t.is(fromFile.templates, join(dir, 'templates.txt'));
    const fromSet = textHead(compileZeroShot(dir, 'templates: imagenet80'));
    const cacheDir = join(dir, 'cache');
    const first = await classEmbeddings(fromFile, { cacheDir });
    t.false(first.fromCache);
    t.true(maxDiff(first.embeddings.data, reference.classEmbeddings) <= 1e-5);
    t.true((await classEmbeddings(fromSet, { cacheDir })).fromCache, 'the same templates are the same key');
    const fewer = await classEmbeddings({ ...fromSet, templates: reference.templates.slice(0, 79) }, { cacheDir });
    t.false(fewer.fromCache, 'other templates are another key');
    t.true(maxDiff(fewer.embeddings.data, reference.classEmbeddings) > 1e-4);
    writeFileSync(join(dir, 'templates.txt'), 'a photo of a {}.\nno hole here\n');
    await t.throwsAsync(() => classEmbeddings(fromFile, { cacheDir }), {
      message: `${join(dir, 'templates.txt')}:2: template "no hole here" must contain exactly one {} for the class name (found 0)`,
    });
  });
});

test.serial(
  "before training, the VL expert's logits times its scale are CLIP's zero-shot logits (the scale: the checkpoint's)",
  async (t) => {
    await withTempDirAsync(async (dir) => {
      const plan = compileZeroShot(dir, 'templates: imagenet80');
      const before = tf.memory().numTensors;
      const backbone = buildBackbone(plan.backbones[0]!, plan.seed, () => {});
      await prepareTextHeads(plan);
      const model = buildExpert(plan, plan.modules.experts[0]!, backbone, plan.seed);
      t.is(trainableParameterCount(model), 4 * 6, 'only the class weights train');
      const images = tf.tensor4d(reference.images.flat(3), [reference.images.length, 3, 16, 16]);
      const cosines = predictLogits(model, images);
      t.is(textHead(plan).scale, 'checkpoint', 'the encoder form takes the scale from the checkpoint by default');
      t.true(Math.abs(model.head!.scale - reference.logitScale) <= 1e-4 * reference.logitScale);
      const logits = tf.mul(cosines, model.head!.scale);
      t.true(maxDiff(logits.dataSync() as Float32Array, reference.logits) <= 2e-3);
      const argMax = tf.argMax(logits, 1);
      const predicted = Array.from(argMax.dataSync());
      t.deepEqual(
        predicted,
        reference.logits.map((row) => row.indexOf(Math.max(...row))),
      );
      t.true(new Set(predicted).size > 1, 'the fixture images are not all one class');
      tf.dispose([images, cosines, logits, argMax]);
      disposeLptModel(model);
      t.is(tf.memory().numTensors, before);
    });
  },
);

test.serial(
  "a file's scale overrides the checkpoint's; a checkpoint without logit_scale is a clear error",
  async (t) => {
    await withTempDirAsync(async (dir) => {
      const plan = compileZeroShot(dir, 'templates: imagenet80, scale: 20');
      t.is(textHead(plan).scale, 20);
      t.is(textHeadScale(textHead(plan)), 20);
      const file = join(dir, 'no_scale.safetensors');
      const tensors = readSafetensors(textHead(compileZeroShot(dir, 'templates: imagenet80')).encoder!.weights);
      tensors.delete('logit_scale');
      writeSafetensors(file, tensors);
      const head = textHead(compileZeroShot(dir, 'templates: imagenet80'));
      t.throws(() => textHeadScale({ ...head, encoder: { ...head.encoder!, weights: file } }), {
        message: `${file}: holds no logit_scale, which text head '${head.name}' takes its scale from; write scale: N in text(...) (CLIP's is 100)`,
      });
    });
  },
);

test.serial(
  'lpt embed-text --templates imagenet80 gives the same ensemble, cached under the text head key',
  async (t) => {
    await withTempDirAsync(async (dir) => {
      const plan = compileZeroShot(dir, 'templates: imagenet80');
      writeFileSync(join(dir, 'classes.txt'), `${reference.classes.join('\n')}\n`);
      const io = recordingIO(dir);
      const args = ['--naming', 'clip', '--texts', 'classes.txt', '--output', 'classes.npy', '--cache', 'runs'];
      args.push('--backend', tf.getBackend()); // keep the test backend for the tests after this one
      t.is(
        await main(['embed-text', 'clip.safetensors', ...args, '--templates', 'imagenet80'], io),
        0,
        io.err.join(''),
      );
      t.true(maxDiff(readNpy(join(dir, 'classes.npy')).data as Float32Array, reference.classEmbeddings) <= 1e-5);
      const found = await classEmbeddings(textHead(plan), { cacheDir: textEmbeddingCacheDir(plan.out) });
      t.true(found.fromCache, 'the run finds what embed-text cached');
      const both = recordingIO(dir);
      t.is(
        await main(['embed-text', 'clip.safetensors', ...args, '--templates', 'imagenet80', '--template', '{}'], both),
        2,
      );
    });
  },
);

test.serial("projection: tune trains CLIP's projection from its own weights; random starts a new one", async (t) => {
  await withTempDirAsync(async (dir) => {
    for (const [projection, differs] of [
      ['tune', false],
      ['random', true],
    ] as const) {
      const plan = compileZeroShot(dir, `templates: imagenet80, projection: ${projection}`);
      t.is(textHead(plan).params, 4 * 6 + 128 * 6);
      const backbone = buildBackbone(plan.backbones[0]!, plan.seed, () => {});
      await prepareTextHeads(plan);
      const model = buildExpert(plan, plan.modules.experts[0]!, backbone, plan.seed);
      t.is(trainableParameterCount(model), 4 * 6 + 128 * 6);
      const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(model.head!.projection!, backbone.projection!.weightIO))));
      t.is(gap.dataSync()[0]! > 0, differs, `projection: ${projection}`);
      gap.dispose();
      disposeLptModel(model);
    }
  });
});

test.serial('the frozen projection needs a backbone that has one: the error says how to get a new one', async (t) => {
  await withTempDirAsync(async (dir) => {
    // The same file read as a timm checkpoint holds no visual tower: compile a random backbone instead.
    const plan = compileZeroShot(dir, 'template: "a photo of a {}."');
    const bare = { ...plan.backbones[0]!, weights: null };
    const backbone = buildBackbone(bare, plan.seed, () => {});
    await prepareTextHeads(plan);
    t.throws(() => buildExpert(plan, plan.modules.experts[0]!, backbone, plan.seed), {
      instanceOf: UserError,
      message:
        "text head 'words' classifies the backbone's projected feature (projection: frozen, embed_dim 6), but its backbone has no projection; write projection: random for a new trainable one",
    });
    disposeLptModel({ backbone, shared: null, pool: null, adapters: null, head: null });
  });
});
