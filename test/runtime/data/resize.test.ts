/** Antialiased bilinear resizing against torch's F.interpolate(antialias=True) (test/fixtures/data/resize.json). */
import { readFileSync } from 'node:fs';
import test from 'ava';
import { resizeBilinear } from '../../../runtime/data/resize.ts';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/data/resize.json', import.meta.url), 'utf8')) as {
  cases: { shape: [number, number, number]; image: number[]; size: [number, number]; expected: number[] }[];
};

for (const c of fixture.cases) {
  test(`${c.shape.join('x')} -> ${c.size.join('x')} matches torch`, (t) => {
    const [channels, height, width] = c.shape;
    const out = resizeBilinear({ data: Float32Array.from(c.image), channels, height, width }, c.size[0], c.size[1]);
    t.deepEqual([out.channels, out.height, out.width], [channels, c.size[0], c.size[1]]);
    let worst = 0;
    out.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - c.expected[i]!))));
    t.true(worst < 1e-5, `largest difference ${worst}`);
  });
}

test('a constant image stays constant at any size, and the same size is a copy', (t) => {
  const image = { data: new Float32Array(2 * 5 * 7).fill(0.25), channels: 2, height: 5, width: 7 };
  for (const [h, w] of [
    [2, 3],
    [11, 4],
    [5, 7],
  ] as const) {
    const out = resizeBilinear(image, h, w);
    t.true(out.data.every((v) => Math.abs(v - 0.25) < 1e-7));
  }
  t.not(resizeBilinear(image, 5, 7).data, image.data);
  t.throws(() => resizeBilinear(image, 0, 3));
});
