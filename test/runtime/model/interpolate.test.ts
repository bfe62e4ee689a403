import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { type InterpolationMode, interpolationMatrix } from '../../../runtime/model/interpolate.ts';
import { resamplePosEmbed } from '../../../runtime/model/position_embed.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { maxAbsDiff } from '../../helpers/fixtures.ts';
import { modelFixture } from '../../helpers/model_fixtures.ts';

test.before(async () => {
  await useTestBackend();
});

interface Case {
  name: string;
  mode: InterpolationMode;
  antialias: boolean;
  size: [number, number];
}

const fx = modelFixture('interpolate');

for (const c of fx.meta.cases as Case[]) {
  test(`resampling a 4x4 grid matches F.interpolate: ${c.name}`, (t) => {
    const source = fx.tensor('source'); // [1, C=3, 4, 4]
    const out = tf.tidy(() => {
      // as a pos_embed: [1, 1 + 16, 3] with a dummy prefix token
      const grid = tf.reshape(tf.transpose(source, [0, 2, 3, 1]), [1, 16, 3]);
      const pos = tf.concat([tf.ones([1, 1, 3]), grid], 1);
      const resized = resamplePosEmbed(pos, [4, 4], c.size, { mode: c.mode, antialias: c.antialias });
      t.deepEqual(Array.from(tf.slice(resized, [0, 0, 0], [1, 1, 3]).dataSync()), [1, 1, 1], 'prefix kept');
      const body = tf.slice(resized, [0, 1, 0], [1, c.size[0] * c.size[1], 3]);
      return tf.transpose(tf.reshape(body, [1, c.size[0], c.size[1], 3]), [0, 3, 1, 2]);
    });
    const diff = maxAbsDiff(out, fx.values(c.name));
    t.true(diff < 1e-5, `max abs diff ${diff}`);
    tf.dispose([source, out]);
  });
}

test('interpolation rows sum to one, and the identity size is the identity', (t) => {
  for (const mode of ['bilinear', 'bicubic'] as const) {
    for (const antialias of [true, false]) {
      const m = interpolationMatrix(3, 7, mode, antialias);
      for (let i = 0; i < 3; i++) {
        const sum = Array.from(m.slice(i * 7, i * 7 + 7)).reduce((a, b) => a + b, 0);
        t.true(Math.abs(sum - 1) < 1e-12);
      }
      const id = interpolationMatrix(5, 5, mode, antialias);
      t.deepEqual(
        Array.from(id),
        Array.from({ length: 25 }, (_, k) => (k % 6 === 0 ? 1 : 0)),
      );
    }
  }
});
