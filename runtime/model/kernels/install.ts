/**
 * Installs this project's kernel replacements into the active tfjs backend, once. On webgpu: a
 * correction of tfjs's int-to-float Cast (webgpu_fixes.ts) and of its Softmax beyond 65,535 rows
 * (webgpu_softmax.ts); nothing else, the model uses plain
 * tfjs ops there (the native kernels work on the wasm heap). On wasm: the
 * lean Slice/Unpack/SplitV/Tile/Identity/Cast (wasm_copies.ts) and, when the native addon is
 * built, BatchMatMul and _FusedMatMul on its BLAS (native_matmul.ts) and its fused kernels
 * (native_kernels.ts). Each replacement keeps the original kernel and chooses per call, from
 * the kernel settings given at installation (or changed later with configureKernels, as the bench
 * does to measure a lever's gain). The backend's initialisation installs them once.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_SPEED, type KernelSettings } from '../speed.ts';
import { nativeAddon } from './native_addon.ts';
import { registerNativeKernels } from './native_kernels.ts';
import { nativeMatMul, type WasmHeapBackend } from './native_matmul.ts';
import { isStringKernelCall, WASM_COPY_KERNELS } from './wasm_copies.ts';
import { installWebGpuFixes } from './webgpu_fixes.ts';
import { installWebGpuSoftmax } from './webgpu_softmax.ts';

type KernelArgs = Parameters<tf.KernelFunc>[0];
/** A replacement returns null to hand the call to the original kernel. */
type Replacement = (args: KernelArgs) => ReturnType<tf.KernelFunc> | null;

const installed = new Set<string>();
let settings: KernelSettings = { copies: DEFAULT_SPEED.copies, matmul: DEFAULT_SPEED.matmul };

function replaceKernel(name: string, backendName: string, fast: Replacement): void {
  const original = tf.getKernel(name, backendName);
  if (original === undefined) return;
  tf.unregisterKernel(name, backendName);
  tf.registerKernel({ ...original, kernelFunc: (args) => fast(args) ?? original.kernelFunc(args) });
}

function installWasmCopies(): void {
  for (const [name, lean] of Object.entries(WASM_COPY_KERNELS)) {
    replaceKernel(name, 'wasm', (args) =>
      settings.copies === 'lean' && !isStringKernelCall(args as never)
        ? (lean(args as never) as ReturnType<tf.KernelFunc> | null)
        : null,
    );
  }
}

function installNative(): void {
  const addon = nativeAddon();
  if (addon === null) return;
  registerNativeKernels(addon);
  const use = () => settings.matmul === 'native';
  replaceKernel('BatchMatMul', 'wasm', ({ inputs, attrs, backend }) => {
    if (!use()) return null;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    return nativeMatMul(
      addon,
      backend as unknown as WasmHeapBackend,
      inputs.a!,
      inputs.b!,
      transposeA,
      transposeB,
      null,
    );
  });
  replaceKernel('_FusedMatMul', 'wasm', ({ inputs, attrs, backend }) => {
    const { transposeA, transposeB, activation } = attrs as {
      transposeA: boolean;
      transposeB: boolean;
      activation: string;
    };
    if (!use() || activation !== 'linear' || inputs.preluActivationWeights != null) return null;
    return nativeMatMul(
      addon,
      backend as unknown as WasmHeapBackend,
      inputs.a!,
      inputs.b!,
      transposeA,
      transposeB,
      inputs.bias ?? null,
    );
  });
}

/** The kernel-level levers the installed replacements apply now. */
export function kernelSettings(): KernelSettings {
  return settings;
}

/** Changes the kernel-level levers of the installed replacements (the bench's comparisons). */
export function configureKernels(changes: Partial<KernelSettings>): void {
  settings = { ...settings, ...changes };
}

/** Installs the replacements into the active backend (once per backend) with `initial` levers. */
export function installKernels(initial: Partial<KernelSettings> = {}): void {
  configureKernels(initial);
  const backendName = tf.getBackend();
  if (installed.has(backendName)) return;
  installed.add(backendName);
  if (backendName === 'webgpu') {
    installWebGpuFixes();
    installWebGpuSoftmax();
  }
  if (backendName !== 'wasm') return;
  installWasmCopies();
  installNative();
}
