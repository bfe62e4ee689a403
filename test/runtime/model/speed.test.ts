import test from 'ava';
import {
  DEFAULT_SPEED,
  SPEED_ENV,
  SpeedSettingError,
  speedChoices,
  speedSettingsFromEnv,
} from '../../../runtime/model/speed.ts';

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
