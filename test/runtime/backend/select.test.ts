import { createRequire } from 'node:module';
import test from 'ava';
import { type BackendEnvironment, isNotInstalled, type LoadOutcome, nodeEnvironment } from '../../../runtime/backend/environment.ts';
import { initBackend } from '../../../runtime/backend/init.ts';
import { BackendError, type BackendName, describeBackend } from '../../../runtime/backend/preference.ts';
import { selectBackend } from '../../../runtime/backend/select.ts';

/** A fake environment: each backend either loads (with an optional detail) or fails with a problem. */
function fakeEnvironment(outcomes: Partial<Record<BackendName, LoadOutcome>>): BackendEnvironment & { tried: BackendName[] } {
  const tried: BackendName[] = [];
  return {
    tried,
    async activate(name) {
      tried.push(name);
      return outcomes[name] ?? { ok: false, problem: `${name} is not installed` };
    },
  };
}

const ok: LoadOutcome = { ok: true };

test('auto falls back through node-gpu and node to wasm, and says why', async (t) => {
  const env = fakeEnvironment({ wasm: { ok: true, detail: 'SIMD' }, cpu: ok });
  const choice = await selectBackend({ preference: 'auto' }, env);
  t.is(choice.name, 'wasm');
  t.is(choice.tfName, 'wasm');
  t.deepEqual(env.tried, ['node-gpu', 'node', 'wasm']);
  t.is(choice.reason, 'node-gpu is not installed; node is not installed; @tensorflow/tfjs-backend-wasm loaded (SIMD)');
  t.true(describeBackend(choice).startsWith('wasm: '));
});

test('auto takes node-gpu when it loads', async (t) => {
  const env = fakeEnvironment({ 'node-gpu': ok, node: ok, wasm: ok });
  const choice = await selectBackend({ preference: 'auto' }, env);
  t.is(choice.name, 'node-gpu');
  t.is(choice.tfName, 'tensorflow');
  t.deepEqual(env.tried, ['node-gpu']);
});

test('auto passes over a node-gpu that is installed but fails to load', async (t) => {
  const env = fakeEnvironment({ 'node-gpu': { ok: false, problem: 'libcudart.so.11 not found' }, node: ok });
  const choice = await selectBackend({ preference: 'auto' }, env);
  t.is(choice.name, 'node');
  t.regex(choice.reason, /libcudart/);
});

test('auto ends on cpu when nothing else loads', async (t) => {
  const choice = await selectBackend({ preference: 'auto' }, fakeEnvironment({ cpu: ok }));
  t.is(choice.name, 'cpu');
  t.regex(choice.reason, /wasm is not installed/);
});

test('auto with nothing loadable is an error listing every reason', async (t) => {
  const error = await t.throwsAsync(selectBackend({ preference: 'auto' }, fakeEnvironment({})), { instanceOf: BackendError });
  t.regex(error?.message ?? '', /node-gpu is not installed.*cpu is not installed/);
});

test('an explicit preference is honoured without trying the others', async (t) => {
  const env = fakeEnvironment({ 'node-gpu': ok, cpu: ok });
  const choice = await selectBackend({ preference: 'cpu', source: '--backend' }, env);
  t.is(choice.name, 'cpu');
  t.deepEqual(env.tried, ['cpu']);
  t.regex(choice.reason, /requested by --backend/);
});

test('an explicit preference that fails is an error, not a fallback', async (t) => {
  const env = fakeEnvironment({ wasm: ok, cpu: ok });
  const error = await t.throwsAsync(selectBackend({ preference: 'node', source: 'plan' }, env), { instanceOf: BackendError });
  t.is(error?.preference, 'node');
  t.regex(error?.message ?? '', /requested by plan, but node is not installed/);
  t.deepEqual(env.tried, ['node']);
});

test('an unknown preference is an error naming the choices', async (t) => {
  const error = await t.throwsAsync(selectBackend({ preference: 'webgl' }, fakeEnvironment({ cpu: ok })), { instanceOf: BackendError });
  t.regex(error?.message ?? '', /unknown backend.*auto, node-gpu, node, wasm, cpu/);
});

test('nodeEnvironment tells "not installed" from "failed to load"', async (t) => {
  const missing = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node-gpu' imported from x.ts"), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
  const broken = new Error('libtensorflow.so.2: cannot open shared object file\nmore lines');
  const env = nodeEnvironment(async (specifier) => {
    if (specifier === '@tensorflow/tfjs-node-gpu') throw missing;
    throw broken;
  });
  t.deepEqual(await env.activate('node-gpu'), { ok: false, problem: '@tensorflow/tfjs-node-gpu is not installed' });
  t.deepEqual(await env.activate('node'), {
    ok: false,
    problem: '@tensorflow/tfjs-node failed to load (libtensorflow.so.2: cannot open shared object file)',
  });
});

test('isNotInstalled: a missing dependency of the package is not the package missing', (t) => {
  const dependency = Object.assign(new Error("Cannot find package '@tensorflow/tfjs' imported from tfjs-node"), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
  t.false(isNotInstalled(dependency, '@tensorflow/tfjs-node'));
  t.true(isNotInstalled(Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node'"), { code: 'MODULE_NOT_FOUND' }), '@tensorflow/tfjs-node'));
});

function resolvable(specifier: string): boolean {
  try {
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

test('on this machine, auto reports why it did not pick tfjs-node', async (t) => {
  const choice = await initBackend({ preference: 'auto' });
  if (resolvable('@tensorflow/tfjs-node-gpu') || resolvable('@tensorflow/tfjs-node')) {
    t.is(choice.tfName, 'tensorflow');
    return;
  }
  t.is(choice.name, 'wasm');
  t.regex(choice.reason, /^@tensorflow\/tfjs-node-gpu is not installed; @tensorflow\/tfjs-node is not installed; /);
  t.regex(choice.reason, /wasm loaded \(SIMD, single thread\)/);
});
