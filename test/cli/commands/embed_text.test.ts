import test from 'ava';
import { existsSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { command } from '../../../cli/commands/embed_text.ts';
import { readNpy } from '../../../runtime/weights/npy.ts';
import { recordingIO } from '../../helpers/cli_io.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { withTempDirAsync } from '../../runtime/weights/fixtures.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/clip_text');
const reference = JSON.parse(readFileSync(join(fixtures, 'encoder.json'), 'utf8')) as {
  texts: string[];
  embeddings: number[][];
};

test.before(async () => {
  await useTestBackend();
});

test.serial('embed-text writes the reference embeddings for every naming and prints one line', async (t) => {
  await withTempDirAsync(async (dir) => {
    writeFileSync(join(dir, 'texts.txt'), reference.texts.join('\n'));
    for (const [naming, extra] of [
      ['clip', []],
      ['open_clip', ['--act', 'quick_gelu']],
      ['hf', []],
    ] as const) {
      const io = recordingIO(dir);
      const output = `${naming}.npy`;
      const code = await command.run(
        [
          join(fixtures, `text.${naming}.safetensors`),
          '--naming',
          naming,
          '--texts',
          'texts.txt',
          '--output',
          output,
          '--batch-size',
          '4',
          ...extra,
        ],
        io,
      );
      t.is(code, 0, io.err.join('\n'));
      t.is(io.out.length, 1);
      t.regex(
        io.out[0]!,
        new RegExp(`^wrote ${output}: 6 x 6 L2-normalised text embeddings \\(CLIP text: width 8, depth 2, heads 2`),
      );
      const written = readNpy(join(dir, output));
      t.deepEqual(written.shape, [6, 6]);
      const diff = Math.max(...reference.embeddings.flat().map((v, i) => Math.abs(v - (written.data[i] as number))));
      t.true(diff <= 1e-4, `${naming}: ${diff}`);
    }
  });
});

test.serial('the template is applied to each line', async (t) => {
  await withTempDirAsync(async (dir) => {
    writeFileSync(join(dir, 'names.txt'), 'dog\r\nairfield\n');
    writeFileSync(join(dir, 'prompts.txt'), 'a photo of a dog.\na photo of a airfield.\n');
    const weights = join(fixtures, 'text.clip.safetensors');
    t.is(
      await command.run(
        [weights, '--naming', 'clip', '--texts', 'names.txt', '--template', 'a photo of a {}.', '--output', 'a.npy'],
        recordingIO(dir),
      ),
      0,
    );
    t.is(
      await command.run([weights, '--naming', 'clip', '--texts', 'prompts.txt', '--output', 'b.npy'], recordingIO(dir)),
      0,
    );
    t.deepEqual(readNpy(join(dir, 'a.npy')).data, readNpy(join(dir, 'b.npy')).data);
  });
});

test.serial('bad inputs: an empty line, a template without {}, a checkpoint without a text tower', async (t) => {
  await withTempDirAsync(async (dir) => {
    writeFileSync(join(dir, 'names.txt'), 'dog\ncat\n\nbird\n');
    writeFileSync(join(dir, 'good.txt'), 'dog\n');
    const weights = join(fixtures, 'text.clip.safetensors');
    const run = async (args: string[]) => {
      const io = recordingIO(dir);
      return { code: await command.run(args, io), err: io.err.filter((l) => !l.includes('backend')).join('\n') };
    };
    const empty = await run([weights, '--naming', 'clip', '--texts', 'names.txt', '--output', 'x.npy']);
    t.is(empty.code, 1);
    t.is(
      empty.err,
      `lpt embed-text: ${join(dir, 'names.txt')}:3: empty line; every line must hold one class name (or text)`,
    );
    const template = await run([
      weights,
      '--naming',
      'clip',
      '--texts',
      'good.txt',
      '--template',
      'a photo of a',
      '--output',
      'x.npy',
    ]);
    t.is(template.code, 1);
    t.regex(template.err, /--template: template "a photo of a" must contain exactly one \{\}/);
    const visual = join(import.meta.dirname, '../../fixtures/vit/clip_p4_d16_l1_h1_c1.clip.safetensors');
    const tower = await run([visual, '--naming', 'clip', '--texts', 'good.txt', '--output', 'x.npy']);
    t.is(tower.code, 1);
    t.regex(tower.err, /clip_p4_d16_l1_h1_c1\.clip\.safetensors: holds no CLIP text tower under 'clip' naming/);
    t.false(existsSync(join(dir, 'x.npy')), 'nothing written on error');
    await t.throwsAsync(
      command.run([weights, '--naming', 'keras', '--texts', 'good.txt', '--output', 'x.npy'], recordingIO(dir)),
      { message: /unknown naming 'keras'/ },
    );
  });
});
