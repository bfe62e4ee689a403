/**
 * The writer's side of the naming tables: canonical tensors written under a scheme's names read
 * back to the same tensors; a scheme that converts layouts, a missing tensor and one without a
 * name are refused.
 */
import test from 'ava';
import { resolve } from 'node:path';
import { namingSchemes, toCanonical } from '../../../../runtime/weights/naming/index.ts';
import { fromCanonical } from '../../../../runtime/weights/naming/from_canonical.ts';
import { readSafetensors } from '../../../../runtime/weights/safetensors.ts';

const file = resolve('test/fixtures/export/weights/vit.safetensors');

test('timm names out and back in give the same tensors', (t) => {
  const { tensors, depth } = toCanonical(readSafetensors(file), 'timm', file);
  const written = fromCanonical(namingSchemes.timm, tensors, depth);
  t.true(written.has('blocks.1.attn.qkv.weight') && written.has('cls_token'));
  const again = toCanonical(written, 'timm', 'written');
  t.deepEqual(again.missing, []);
  t.deepEqual(again.unexpected, []);
  t.deepEqual(again.tensors, tensors);
});

test('a converting scheme, a missing tensor and a tensor without a name are refused', (t) => {
  const { tensors, depth } = toCanonical(readSafetensors(file), 'timm', file);
  t.throws(() => fromCanonical(namingSchemes.npz, tensors, depth), { message: /'npz' naming converts/ });
  const lacking = new Map(tensors);
  lacking.delete('norm.bias');
  t.throws(() => fromCanonical(namingSchemes.timm, lacking, depth), { message: /needs 'norm.bias'/ });
  const extra = new Map(tensors).set('head.weight', tensors.get('norm.bias')!);
  t.throws(() => fromCanonical(namingSchemes.timm, extra, depth), { message: /no name for head.weight/ });
  t.notThrows(() => fromCanonical(namingSchemes.lpt, extra, depth), "lpt's table names CLIP's projection");
});
