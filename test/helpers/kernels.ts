import { configureKernels, kernelSettings } from '../../runtime/model/kernels/install.ts';
import type { KernelSettings } from '../../runtime/model/speed.ts';

/** Runs `f` with the installed kernels' levers changed, then restores them (also when `f` throws). */
export function withKernelSettings<T>(changes: Partial<KernelSettings>, f: () => T): T {
  const saved = kernelSettings();
  configureKernels(changes);
  try {
    return f();
  } finally {
    configureKernels(saved);
  }
}
