/** The speed levers and the native addon's settings are read at the command line's edge. */
import test from 'ava';
import {
  dawnFlagsFromEnv,
  nativeAddonSettingsFromEnv,
  SPEED_ENV,
  speedSettingsFromEnv,
} from '../../runtime/settings_env.ts';
import { DEFAULT_NATIVE_ADDON } from '../../runtime/model/kernels/native_addon.ts';
import { DEFAULT_SPEED, SpeedSettingError, speedChoices } from '../../runtime/model/speed.ts';

test('speed settings: defaults when the environment names none, each lever read from its variable', (t) => {
  t.deepEqual(speedSettingsFromEnv({}), DEFAULT_SPEED);
  t.is(DEFAULT_SPEED.attention, speedChoices('attention')[0]!);
  const env = {
    [SPEED_ENV.attention]: 'batched',
    [SPEED_ENV.layerNorm]: 'ops',
    [SPEED_ENV.copies]: 'tfjs',
    [SPEED_ENV.matmul]: 'wasm',
  };
  t.like(speedSettingsFromEnv(env), {
    attention: 'batched',
    layerNorm: 'ops',
    gelu: DEFAULT_SPEED.gelu,
    copies: 'tfjs',
    matmul: 'wasm',
  });
});

test('speed settings: an unknown value is a typed error naming the variable and the choices', (t) => {
  const error = t.throws(() => speedSettingsFromEnv({ LPT_ATTENTION: 'fast' }), { instanceOf: SpeedSettingError });
  t.regex(error!.message, /LPT_ATTENTION='fast'.*batched/);
});

test('native addon settings: on with the BLAS default unless LPT_NATIVE=off or LPT_NATIVE_THREADS say otherwise', (t) => {
  t.deepEqual(nativeAddonSettingsFromEnv({}), DEFAULT_NATIVE_ADDON);
  t.deepEqual(nativeAddonSettingsFromEnv({ LPT_NATIVE: 'off' }), { enabled: false, threads: 0 });
  t.deepEqual(nativeAddonSettingsFromEnv({ LPT_NATIVE_THREADS: '3' }), { enabled: true, threads: 3 });
});

test('Dawn flags: LPT_DAWN_FLAGS split at white space; none when unset or blank', (t) => {
  t.deepEqual(dawnFlagsFromEnv({}), []);
  t.deepEqual(dawnFlagsFromEnv({ LPT_DAWN_FLAGS: '  ' }), []);
  t.deepEqual(dawnFlagsFromEnv({ LPT_DAWN_FLAGS: ' disable-dawn-features=a  enable-dawn-features=b ' }), [
    'disable-dawn-features=a',
    'enable-dawn-features=b',
  ]);
});
