/**
 * Tests of the native addon's kernels: they run when the addon is built (`npm ci` builds it, so CI
 * runs them) and are a visible skip, with one line saying why, when it is not.
 */
import test from 'ava';
import { nativeAddonSettingsFromEnv } from '../../runtime/settings_env.ts';
import { configureNativeAddon, nativeAddon, nativeAddonProblem } from '../../runtime/model/kernels/native_addon.ts';

configureNativeAddon(nativeAddonSettingsFromEnv(process.env));

const onWasm = (process.env.LPT_TEST_BACKEND ?? 'wasm') === 'wasm';
const why =
  nativeAddon() === null
    ? `the native addon is not built (${nativeAddonProblem()}); \`npm ci\` builds it`
    : onWasm
      ? null
      : 'the native kernels replace wasm kernels, and LPT_TEST_BACKEND is not wasm';

export const nativeTest: typeof test.skip = why === null ? test : test.skip;

if (why !== null) console.log(`skipping native-kernel tests: ${why}`);
