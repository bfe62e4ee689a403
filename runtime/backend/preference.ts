/**
 * Backend names and preferences. A preference is what a user or a plan asks for ('auto' or one
 * backend); a choice is what the runtime ended up with, plus the reason, which is printed at the
 * start of every run so that a slow run on the cpu backend never goes unexplained.
 */

import { UserError } from '../errors.ts';

/** The backends the runtime knows, in the order 'auto' tries them. */
export const BACKEND_ORDER = ['node-gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;

export type BackendName = (typeof BACKEND_ORDER)[number];
export type BackendPreference = 'auto' | BackendName;

export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', ...BACKEND_ORDER];

/** The npm package that provides each backend. */
export const BACKEND_PACKAGES: Readonly<Record<BackendName, string>> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** The name under which each package registers its backend with tfjs-core. */
export const TF_BACKEND_NAMES: Readonly<Record<BackendName, string>> = {
  'node-gpu': 'tensorflow',
  webgpu: 'webgpu',
  node: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

export interface BackendChoice {
  /** The backend in use. */
  readonly name: BackendName;
  /** The name tfjs-core knows it by (tf.getBackend()). */
  readonly tfName: string;
  /** Why this one: the preference, and what was tried before it and why it failed. */
  readonly reason: string;
}

export function isBackendPreference(value: string): value is BackendPreference {
  return (BACKEND_PREFERENCES as readonly string[]).includes(value);
}

/** "wasm: @tensorflow/tfjs-node-gpu is not installed; ..." — one line for logs and the UI. */
export function describeBackend(choice: BackendChoice): string {
  return `${choice.name}: ${choice.reason}`;
}

export class BackendError extends UserError {
  override readonly name = 'BackendError';
  constructor(
    readonly preference: BackendPreference | string,
    readonly problem: string,
  ) {
    super(problem, { place: `backend '${preference}'` });
  }
}

/** The preference a plan's `backend` statement names (plans spell node_gpu with an underscore). */
export function planBackendPreference(plan: { readonly backend: string }): string {
  return plan.backend === 'node_gpu' ? 'node-gpu' : plan.backend;
}
