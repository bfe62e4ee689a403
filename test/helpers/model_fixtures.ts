/**
 * Builds the tiny ViTs of test/fixtures/model (written by scripts/fixtures/make_module_fixtures.py)
 * and evaluates gradients of a scalar w.r.t. chosen variables.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createVit, type CreateVitOptions } from '../../runtime/model/create_vit.ts';
import type { Vit } from '../../runtime/model/vit.ts';
import { makeVitConfig, type VitConfigInit } from '../../runtime/model/vit_config.ts';
import { type Fixture, loadFixture } from './fixtures.ts';

export function modelFixture(name: string): Fixture {
  return loadFixture('model', name);
}

/** The fixture's weights (names prefixed 'w.') as a canonical map; the caller disposes them. */
export function fixtureWeights(fx: Fixture): Map<string, tf.Tensor> {
  const weights = new Map<string, tf.Tensor>();
  for (const name of fx.names) if (name.startsWith('w.')) weights.set(name.slice(2), fx.tensor(name));
  return weights;
}

export function vitFromFixture(fx: Fixture, options: CreateVitOptions = {}): Vit {
  const config = makeVitConfig(fx.meta.config as VitConfigInit);
  const weights = fixtureWeights(fx);
  try {
    return createVit(config, weights, options);
  } finally {
    tf.dispose([...weights.values()]);
  }
}

/** d scalar / d variable for each variable, as plain arrays (tensors disposed). */
export function gradientsOf(scalar: () => tf.Scalar, variables: readonly tf.Variable[]): Float32Array[] {
  const { value, grads } = tf.variableGrads(scalar, [...variables]);
  const out = variables.map((v) => {
    const g = grads[v.name];
    if (g === undefined) throw new Error(`no gradient for ${v.name}`);
    return g.dataSync() as Float32Array;
  });
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}
