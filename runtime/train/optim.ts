/**
 * Optimisers with PyTorch's update rules, applied to tf.Variables by name (tfjs's own
 * tf.train.momentum has no weight decay and scales its momentum differently):
 * - SGD (torch.optim.SGD): g += wd * p (coupled decay); buf = g on the first step, then
 *   buf = momentum * buf + (1 - dampening) * g; g = nesterov ? g + momentum * buf : buf; p -= lr * g.
 * - AdamW (torch.optim.AdamW, Loshchilov & Hutter 2019): p *= 1 - lr * wd (decoupled decay);
 *   m, v moving averages; p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * The learning rate is passed per step (it comes from the schedule). Slot tensors are exposed by
 * name so a checkpoint can save and restore them and a resumed run continues exactly.
 */
import type { OptimizerKind } from '../../plan/enums.ts';
import * as tf from '@tensorflow/tfjs-core';

export interface OptimizerState {
  /** Updates applied so far. */
  readonly step: number;
  /** Slot tensors by "<variable name>/<slot>"; owned by the optimizer, do not dispose. */
  readonly slots: Readonly<Record<string, tf.Tensor>>;
}

export interface Optimizer {
  readonly kind: OptimizerKind;
  /** One update of every variable that has a gradient in `grads` (keyed by variable name). */
  apply(grads: tf.NamedTensorMap, lr: number): void;
  getState(): OptimizerState;
  /** Replaces the state with copies of `state`'s tensors. */
  setState(state: OptimizerState): void;
  dispose(): void;
}

export interface SgdOptions {
  readonly momentum?: number;
  readonly weightDecay?: number;
  readonly dampening?: number;
  readonly nesterov?: boolean;
  /** Whether a variable gets weight decay (default: all). */
  readonly decays?: (name: string) => boolean;
}

export interface AdamWOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Default 0.01, as torch's. */
  readonly weightDecay?: number;
  readonly decays?: (name: string) => boolean;
}

/** Slot bookkeeping shared by both optimisers: named tensors replaced after every update. */
function createSlots(slotNames: readonly string[]) {
  const slots = new Map<string, tf.Tensor>();
  return {
    get: (name: string) => slots.get(name),
    replace(name: string, tensor: tf.Tensor) {
      const old = slots.get(name);
      slots.set(name, tensor);
      if (old && old !== tensor) old.dispose();
    },
    snapshot: (): Record<string, tf.Tensor> => Object.fromEntries(slots),
    load(state: OptimizerState) {
      for (const t of slots.values()) t.dispose();
      slots.clear();
      for (const [name, t] of Object.entries(state.slots)) {
        if (!slotNames.some((s) => name.endsWith(`/${s}`)))
          throw new Error(`optimizer state has an unknown slot '${name}'`);
        slots.set(name, tf.clone(t));
      }
    },
    dispose() {
      for (const t of slots.values()) t.dispose();
      slots.clear();
    },
  };
}

function checkLr(lr: number): void {
  if (!Number.isFinite(lr) || lr < 0) throw new Error(`learning rate must be a finite number >= 0, got ${lr}`);
}

export function createSgd(variables: readonly tf.Variable[], options: SgdOptions = {}): Optimizer {
  const momentum = options.momentum ?? 0;
  const weightDecay = options.weightDecay ?? 0;
  const dampening = options.dampening ?? 0;
  const decays = options.decays ?? (() => true);
  if (options.nesterov && (momentum <= 0 || dampening !== 0))
    throw new Error('nesterov SGD needs momentum > 0 and no dampening');
  const slots = createSlots(['momentum']);
  let step = 0;
  return {
    kind: 'sgd',
    apply(grads, lr) {
      checkLr(lr);
      for (const v of variables) {
        const grad = grads[v.name];
        if (!grad) continue;
        const key = `${v.name}/momentum`;
        const buffer = tf.tidy(() => {
          let d: tf.Tensor = weightDecay !== 0 && decays(v.name) ? tf.add(grad, tf.mul(v, weightDecay)) : grad;
          let buf: tf.Tensor | undefined;
          if (momentum !== 0) {
            const old = slots.get(key);
            buf = old ? tf.add(tf.mul(old, momentum), tf.mul(d, 1 - dampening)) : tf.clone(d);
            d = options.nesterov ? tf.add(d, tf.mul(buf, momentum)) : buf;
          }
          v.assign(tf.sub(v, tf.mul(d, lr)));
          return buf;
        });
        if (buffer) slots.replace(key, buffer);
      }
      step++;
    },
    getState: () => ({ step, slots: slots.snapshot() }),
    setState(state) {
      slots.load(state);
      step = state.step;
    },
    dispose: () => slots.dispose(),
  };
}

export function createAdamW(variables: readonly tf.Variable[], options: AdamWOptions = {}): Optimizer {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const weightDecay = options.weightDecay ?? 0.01;
  const decays = options.decays ?? (() => true);
  const slots = createSlots(['m', 'v']);
  let step = 0;
  return {
    kind: 'adamw',
    apply(grads, lr) {
      checkLr(lr);
      const t = step + 1;
      const stepSize = lr / (1 - Math.pow(beta1, t));
      const correction2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
      for (const v of variables) {
        const grad = grads[v.name];
        if (!grad) continue;
        const [m, s] = tf.tidy(() => {
          const decayed = weightDecay !== 0 && decays(v.name) ? tf.mul(v, 1 - lr * weightDecay) : v;
          const oldM = slots.get(`${v.name}/m`) ?? tf.zerosLike(v);
          const oldV = slots.get(`${v.name}/v`) ?? tf.zerosLike(v);
          const m = tf.add(tf.mul(oldM, beta1), tf.mul(grad, 1 - beta1));
          const s = tf.add(tf.mul(oldV, beta2), tf.mul(tf.square(grad), 1 - beta2));
          const denom = tf.add(tf.div(tf.sqrt(s), correction2Sqrt), eps);
          v.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), stepSize)));
          return [m, s];
        });
        slots.replace(`${v.name}/m`, m!);
        slots.replace(`${v.name}/v`, s!);
      }
      step = t;
    },
    getState: () => ({ step, slots: slots.snapshot() }),
    setState(state) {
      slots.load(state);
      step = state.step;
    },
    dispose: () => slots.dispose(),
  };
}
