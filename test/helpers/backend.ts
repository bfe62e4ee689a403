/**
 * Test setup for TensorFlow.js: the backend named by LPT_TEST_BACKEND (default 'wasm', the path
 * this project really runs on when tfjs-node is absent) plus every gradient registration, with the
 * native addon as LPT_NATIVE / LPT_NATIVE_THREADS say (read as the command line reads them).
 * Call `await useTestBackend()` in a test.before hook.
 */
import { initBackend } from '../../runtime/backend/init.ts';
import type { BackendChoice } from '../../runtime/backend/preference.ts';
import { dawnFlagsFromEnv, nativeAddonSettingsFromEnv } from '../../runtime/settings_env.ts';

let ready: Promise<BackendChoice> | undefined;

export function useTestBackend(): Promise<BackendChoice> {
  ready ??= initBackend({
    preference: process.env.LPT_TEST_BACKEND ?? 'wasm',
    source: 'LPT_TEST_BACKEND',
    native: nativeAddonSettingsFromEnv(process.env),
    dawnFlags: dawnFlagsFromEnv(process.env),
  });
  return ready;
}
