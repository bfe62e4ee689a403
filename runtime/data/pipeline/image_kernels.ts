/**
 * The native addon's image kernels (the resample's passes, bytes to planes), or null where the
 * addon is not built: the callers then run their JavaScript loops, which give the same bytes.
 * Tests switch the addon off to compare the two.
 */
import { type NativeAddon, nativeAddon } from '../../model/kernels/native_addon.ts';

export type ImageKernels = Required<Pick<NativeAddon, 'resampleRows' | 'resampleColumns' | 'rgbToPlanes'>>;

let enabled = true;

export function useNativeImageKernels(on: boolean): void {
  enabled = on;
}

export function imageKernels(): ImageKernels | null {
  const addon = enabled ? nativeAddon() : null;
  return addon?.resampleRows && addon.resampleColumns && addon.rgbToPlanes ? (addon as ImageKernels) : null;
}
