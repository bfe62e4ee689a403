/**
 * WebGPU in Node: Dawn's bindings (npm `webgpu`) provide `navigator.gpu`, which
 * `@tensorflow/tfjs-backend-webgpu` looks for when it is imported (it has no Node support of its
 * own). The adapter is probed first, with the options the tfjs backend uses, so that selection can
 * tell a hardware GPU from a software one (Mesa's llvmpipe/lavapipe, SwiftShader): 'auto' takes
 * only hardware; a software adapter runs only when asked for by name (correct but ~50x slower
 * than the native CPU path). 'auto' first looks in a child process (adapter_probe.ts), so that Dawn
 * is loaded here, and its messages printed, only when this backend is used. On this backend tensors are read with `await data()` only:
 * `dataSync`/`arraySync` need OffscreenCanvas, which Node lacks.
 */
import { isNotInstalled, type ModuleLoader } from './module_loader.ts';

export interface WebGpuAdapter {
  /** "vendor architecture (description)", as Dawn reports them. */
  readonly description: string;
  /** A CPU emulation of a GPU (llvmpipe, lavapipe, SwiftShader, Dawn's fallback adapter). */
  readonly software: boolean;
}

export type WebGpuProbe =
  { readonly ok: true; readonly adapter: WebGpuAdapter } | { readonly ok: false; readonly problem: string };

const SOFTWARE_NAMES = /llvmpipe|lavapipe|swiftshader|softpipe|software/i;

/** Where to get a driver, for the "no adapter" message. */
export const NO_ADAPTER_HINT =
  "no WebGPU adapter: Dawn found no Vulkan driver (install the GPU vendor's driver, or a software one: Mesa's mesa-vulkan-drivers 23 or newer, on Debian 12 through scripts/ci/install_lavapipe.sh as root)";

export interface GpuAdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}
export interface DawnAdapter {
  readonly info?: GpuAdapterInfo;
  readonly isFallbackAdapter?: boolean;
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<DawnAdapter | null>;
}
interface DawnModule {
  create(flags: string[]): Gpu;
  readonly globals?: Record<string, unknown>;
}

/** "nvidia hopper (NVIDIA H200)"; software adapters are recognised by Dawn's flag or their name. */
export function describeAdapter(info: GpuAdapterInfo, fallback = false): WebGpuAdapter {
  const name =
    [info.vendor, info.architecture].filter((s) => s !== undefined && s !== '').join(' ') || 'unknown adapter';
  const detail = info.description !== undefined && info.description !== '' ? ` (${info.description})` : '';
  const text = `${name}${detail}`;
  return { description: text, software: fallback || info.isFallbackAdapter === true || SOFTWARE_NAMES.test(text) };
}

const probes = new WeakMap<ModuleLoader, Map<string, Promise<WebGpuProbe>>>();

/**
 * Installs `navigator.gpu` (and WebGPU's constants) and asks Dawn for an adapter, once per loader
 * and set of Dawn switches (`dawnFlags`, space-free strings such as
 * `disable-dawn-features=vulkan_use_buffer_robust_access_2`, which makes Dawn clamp out-of-bounds
 * shader accesses as it does on GPUs without robustBufferAccess2: the tests use it to reproduce
 * those GPUs' failures on lavapipe).
 */
export function probeWebGpu(loader: ModuleLoader, dawnFlags: readonly string[] = []): Promise<WebGpuProbe> {
  let byFlags = probes.get(loader);
  if (byFlags === undefined) probes.set(loader, (byFlags = new Map()));
  const key = dawnFlags.join(' ');
  let probing = byFlags.get(key);
  if (probing === undefined) byFlags.set(key, (probing = probe(loader, dawnFlags)));
  return probing;
}

async function probe(loader: ModuleLoader, dawnFlags: readonly string[]): Promise<WebGpuProbe> {
  let dawn: DawnModule;
  try {
    dawn = (await loader('webgpu')) as DawnModule;
  } catch (error) {
    return { ok: false, problem: dawnLoadProblem(error) };
  }
  let gpu: Gpu;
  try {
    gpu = dawn.create([...dawnFlags]);
  } catch (error) {
    return { ok: false, problem: dawnStartProblem(error) };
  }
  installNavigatorGpu(gpu, dawn.globals ?? {});
  let adapter: DawnAdapter | null;
  try {
    // tfjs-backend-webgpu asks for 'high-performance' unless WEBGPU_USE_LOW_POWER_GPU is set.
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { ok: false, problem: dawnStartProblem(error) };
  }
  return adapterProbe(adapter);
}

/** Why Dawn's bindings could not be imported. */
export function dawnLoadProblem(error: unknown): string {
  if (isNotInstalled(error, 'webgpu')) return 'webgpu (Dawn for Node) is not installed';
  return `webgpu (Dawn for Node) failed to load (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
}

/** Why Dawn refused to start (a malformed switch, no Vulkan loader). */
export function dawnStartProblem(error: unknown): string {
  return `Dawn could not start (${error instanceof Error ? error.message : String(error)})`;
}

/** What Dawn's answer to requestAdapter means for selection. */
export function adapterProbe(adapter: DawnAdapter | null): WebGpuProbe {
  if (adapter === null) return { ok: false, problem: NO_ADAPTER_HINT };
  return { ok: true, adapter: describeAdapter(adapter.info ?? {}, adapter.isFallbackAdapter === true) };
}

function installNavigatorGpu(gpu: Gpu, globals: Record<string, unknown>): void {
  const scope = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(globals)) if (!(name in scope)) scope[name] = value;
  // Node 21+ has a read-only global `navigator`; Node 20 has none.
  const navigator = (scope.navigator as object | undefined) ?? {};
  Object.defineProperty(navigator, 'gpu', { value: gpu, configurable: true, enumerable: true });
  if (scope.navigator === undefined)
    Object.defineProperty(globalThis, 'navigator', { value: navigator, configurable: true, writable: true });
}
