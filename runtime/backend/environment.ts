/**
 * The side-effecting half of backend selection: importing a backend package and activating it
 * in tfjs-core. Selection logic (select.ts) talks only to this interface, so tests inject a fake
 * environment and exercise every fallback without the packages being installed.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_PACKAGES, type BackendName, TF_BACKEND_NAMES } from './preference.ts';
import { defaultLoader, isNotInstalled, type ModuleLoader } from './module_loader.ts';
import { type AdapterProbe, probeAdapterInChild } from './adapter_probe.ts';
import { probeWebGpu, type WebGpuAdapter, type WebGpuProbe } from './webgpu.ts';

export type LoadOutcome =
  { readonly ok: true; readonly detail?: string } | { readonly ok: false; readonly problem: string };

export interface ActivateOptions {
  /** Asked for by name (not tried by 'auto'): webgpu then accepts a software adapter. */
  readonly explicit: boolean;
}

export interface BackendEnvironment {
  /** Import the backend's package and make tfjs-core use it; never throws. */
  activate(name: BackendName, options: ActivateOptions): Promise<LoadOutcome>;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** The wasm binaries' folder; Node cannot fetch them from the default (browser) location. */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
}

interface WasmModule {
  setWasmPaths(prefix: string): void;
}

function softwareOnly(adapter: WebGpuAdapter): WebGpuProbe {
  return {
    ok: false,
    problem: `only a software WebGPU adapter was found, ${adapter.description}, which runs only when asked for with --backend webgpu`,
  };
}

/**
 * The adapter webgpu will run on, with Dawn loaded in this process and `navigator.gpu` installed,
 * or why not. 'auto' looks in a child first (`probeAdapter`), so that Dawn is loaded here, and
 * prints its own messages, only when webgpu will be used; asked for by name, it is loaded at once.
 */
async function startDawn(
  loader: ModuleLoader,
  dawnFlags: readonly string[],
  probeAdapter: AdapterProbe,
  explicit: boolean,
): Promise<WebGpuProbe> {
  if (!explicit) {
    const looked = await probeAdapter(dawnFlags);
    if (!looked.ok) return looked;
    if (looked.adapter.software) return softwareOnly(looked.adapter);
  }
  const probe = await probeWebGpu(loader, dawnFlags);
  return probe.ok && probe.adapter.software && !explicit ? softwareOnly(probe.adapter) : probe;
}

/**
 * The real environment: dynamic imports plus tf.setBackend. `dawnFlags`: Dawn's own switches for
 * the webgpu backend (webgpu.ts probeWebGpu). `probeAdapter`: how 'auto' looks for a WebGPU
 * adapter before Dawn is loaded here (default: in a child process, adapter_probe.ts).
 */
export function nodeEnvironment(
  loader: ModuleLoader = defaultLoader,
  dawnFlags: readonly string[] = [],
  probeAdapter: AdapterProbe = probeAdapterInChild,
): BackendEnvironment {
  return {
    async activate(name, options) {
      const specifier = BACKEND_PACKAGES[name];
      let adapter: WebGpuAdapter | undefined;
      if (name === 'webgpu') {
        const probe = await startDawn(loader, dawnFlags, probeAdapter, options.explicit);
        if (!probe.ok) return probe;
        adapter = probe.adapter;
      }
      let module: unknown;
      try {
        module = await loader(specifier);
      } catch (error) {
        if (isNotInstalled(error, specifier)) return { ok: false, problem: `${specifier} is not installed` };
        return { ok: false, problem: `${specifier} failed to load (${firstLine(error)})` };
      }
      if (name === 'wasm') (module as WasmModule).setWasmPaths(wasmBinaryDir());
      const tfName = TF_BACKEND_NAMES[name];
      let ok: boolean;
      try {
        ok = await tf.setBackend(tfName);
      } catch (error) {
        return { ok: false, problem: `${specifier} did not initialise (${firstLine(error)})` };
      }
      if (!ok || tf.getBackend() !== tfName) {
        return { ok: false, problem: `${specifier} did not initialise (tf.setBackend('${tfName}') failed)` };
      }
      if (name === 'wasm') {
        const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
        const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
        return { ok: true, detail: `${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'threads' : 'single thread'}` };
      }
      if (adapter !== undefined)
        return { ok: true, detail: `${adapter.software ? 'software adapter' : 'adapter'} ${adapter.description}` };
      return { ok: true };
    },
  };
}
