/**
 * The runtime's entry to TensorFlow.js: pick a backend, register the gradients, install the
 * project's kernels, guard the GPU against silent failures (gpu_guard.ts) and watch its buffer pool (gpu_memory.ts), report the choice. Everything else imports `@tensorflow/tfjs-core` as `tf` and assumes this has run.
 */
import { type BackendEnvironment, nodeEnvironment } from './environment.ts';
import { installKernels } from '../model/kernels/install.ts';
import { configureNativeAddon, type NativeAddonSettings } from '../model/kernels/native_addon.ts';
import type { KernelSettings } from '../model/speed.ts';
import { ensureGradients } from './gradients.ts';
import { guardWebGpu } from './gpu_guard.ts';
import { watchGpuPool } from './gpu_memory.ts';
import type { BackendChoice, BackendPreference } from './preference.ts';
import { selectBackend } from './select.ts';

export interface InitBackendOptions {
  readonly preference?: BackendPreference | string;
  readonly source?: string;
  readonly environment?: BackendEnvironment;
  /** The kernel-level speed levers (default: the fast ones). */
  readonly kernels?: Partial<KernelSettings>;
  /** The native addon's settings (default: loaded where built, the BLAS's own threads). */
  readonly native?: NativeAddonSettings;
  /** Dawn's own switches for the webgpu backend (LPT_DAWN_FLAGS at the command line); default none. */
  readonly dawnFlags?: readonly string[];
}

/** Throws BackendError when an explicit preference cannot be honoured. */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  if (options.native !== undefined) configureNativeAddon(options.native);
  const choice = await selectBackend(
    { preference: options.preference ?? 'auto', source: options.source ?? 'default' },
    options.environment ?? nodeEnvironment(undefined, options.dawnFlags),
  );
  await ensureGradients();
  installKernels(options.kernels);
  guardWebGpu();
  watchGpuPool();
  return choice;
}
