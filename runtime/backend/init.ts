/**
 * The runtime's entry to TensorFlow.js: pick a backend, register the gradients, report the
 * choice. Everything else imports `@tensorflow/tfjs-core` as `tf` and assumes this has run.
 */
import { type BackendEnvironment, nodeEnvironment } from './environment.ts';
import { ensureGradients } from './gradients.ts';
import type { BackendChoice, BackendPreference } from './preference.ts';
import { selectBackend } from './select.ts';

export interface InitBackendOptions {
  readonly preference?: BackendPreference | string;
  readonly source?: string;
  readonly environment?: BackendEnvironment;
}

/** Throws BackendError when an explicit preference cannot be honoured. */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  const choice = await selectBackend(
    { preference: options.preference ?? 'auto', source: options.source ?? 'default' },
    options.environment ?? nodeEnvironment(),
  );
  await ensureGradients();
  return choice;
}
