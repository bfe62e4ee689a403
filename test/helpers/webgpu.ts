/**
 * Whether this machine has a WebGPU adapter for the webgpu backend's tests. Without one they skip,
 * and the file says once how to get one: Mesa's software Vulkan driver (Debian package
 * mesa-vulkan-drivers, 23 or newer: scripts/ci/install_lavapipe.sh) or a GPU's driver.
 */
import { probeWebGpu } from '../../runtime/backend/webgpu.ts';

const loader = (specifier: string) => import(specifier);

/** null when an adapter exists; else why not, with how to enable the tests (printed once). */
export async function webgpuSkipReason(file: string, dawnFlags: readonly string[] = []): Promise<string | null> {
  const probe = await probeWebGpu(loader, dawnFlags);
  if (probe.ok) return null;
  const reason = `${file}: webgpu tests skipped: ${probe.problem}`;
  console.log(reason);
  return reason;
}
