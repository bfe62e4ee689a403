import { createRequire } from 'node:module';
import test from 'ava';
import { type BackendEnvironment, type LoadOutcome, nodeEnvironment } from '../../../runtime/backend/environment.ts';
import { isNotInstalled } from '../../../runtime/backend/module_loader.ts';
import { initBackend } from '../../../runtime/backend/init.ts';
import { BackendError, type BackendName, describeBackend } from '../../../runtime/backend/preference.ts';
import { selectBackend } from '../../../runtime/backend/select.ts';
import { describeAdapter, NO_ADAPTER_HINT, probeWebGpu } from '../../../runtime/backend/webgpu.ts';

/** A fake environment: each backend either loads (with an optional detail) or fails with a problem. */
function fakeEnvironment(
  outcomes: Partial<Record<BackendName, LoadOutcome>>,
): BackendEnvironment & { tried: BackendName[]; explicit: boolean[] } {
  const tried: BackendName[] = [];
  const explicit: boolean[] = [];
  return {
    tried,
    explicit,
    async activate(name, options) {
      tried.push(name);
      explicit.push(options.explicit);
      return outcomes[name] ?? { ok: false, problem: `${name} is not installed` };
    },
  };
}

const ok: LoadOutcome = { ok: true };

test('auto falls back through node-gpu, webgpu and node to wasm, and says why', async (t) => {
  const env = fakeEnvironment({ wasm: { ok: true, detail: 'SIMD' }, cpu: ok });
  const choice = await selectBackend({ preference: 'auto' }, env);
  t.is(choice.name, 'wasm');
  t.is(choice.tfName, 'wasm');
  t.deepEqual(env.tried, ['node-gpu', 'webgpu', 'node', 'wasm']);
  t.is(
    choice.reason,
    'node-gpu is not installed; webgpu is not installed; node is not installed; @tensorflow/tfjs-backend-wasm loaded (SIMD)',
  );
  t.true(describeBackend(choice).startsWith('wasm: '));
});

test('auto takes node-gpu when it loads', async (t) => {
  const env = fakeEnvironment({ 'node-gpu': ok, node: ok, wasm: ok });
  const choice = await selectBackend({ preference: 'auto' }, env);
  t.is(choice.name, 'node-gpu');
  t.is(choice.tfName, 'tensorflow');
  t.deepEqual(env.tried, ['node-gpu']);
});

test('auto takes webgpu before node when it loads', async (t) => {
  const env = fakeEnvironment({ webgpu: { ok: true, detail: 'adapter nvidia hopper' }, node: ok });
  const choice = await selectBackend({ preference: 'auto' }, env);
  t.is(choice.name, 'webgpu');
  t.is(choice.tfName, 'webgpu');
  t.deepEqual(env.explicit, [false, false]);
  t.regex(choice.reason, /tfjs-backend-webgpu loaded \(adapter nvidia hopper\)/);
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
  const error = await t.throwsAsync(selectBackend({ preference: 'auto' }, fakeEnvironment({})), {
    instanceOf: BackendError,
  });
  t.regex(error?.message ?? '', /node-gpu is not installed.*cpu is not installed/);
});

test('an explicit preference is honoured without trying the others', async (t) => {
  const env = fakeEnvironment({ 'node-gpu': ok, cpu: ok });
  const choice = await selectBackend({ preference: 'cpu', source: '--backend' }, env);
  t.is(choice.name, 'cpu');
  t.deepEqual(env.tried, ['cpu']);
  t.deepEqual(env.explicit, [true]);
  t.regex(choice.reason, /requested by --backend/);
});

test('an explicit preference that fails is an error, not a fallback', async (t) => {
  const env = fakeEnvironment({ wasm: ok, cpu: ok });
  const error = await t.throwsAsync(selectBackend({ preference: 'node', source: 'plan' }, env), {
    instanceOf: BackendError,
  });
  t.is(error?.preference, 'node');
  t.regex(error?.message ?? '', /requested by plan, but node is not installed/);
  t.deepEqual(env.tried, ['node']);
});

test('an unknown preference is an error naming the choices', async (t) => {
  const error = await t.throwsAsync(selectBackend({ preference: 'webgl' }, fakeEnvironment({ cpu: ok })), {
    instanceOf: BackendError,
  });
  t.regex(error?.message ?? '', /unknown backend.*auto, node-gpu, webgpu, node, wasm, cpu/);
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
  t.deepEqual(await env.activate('node-gpu', { explicit: false }), {
    ok: false,
    problem: '@tensorflow/tfjs-node-gpu is not installed',
  });
  t.deepEqual(await env.activate('node', { explicit: false }), {
    ok: false,
    problem: '@tensorflow/tfjs-node failed to load (libtensorflow.so.2: cannot open shared object file)',
  });
});

/** A loader whose Dawn finds one adapter with `info`, and whose tfjs webgpu package registers nothing. */
function dawnLoader(info: Record<string, unknown> | null, imports: string[] = []) {
  return async (specifier: string) => {
    imports.push(specifier);
    if (specifier === 'webgpu')
      return { create: () => ({ requestAdapter: async () => (info === null ? null : { info }) }), globals: {} };
    if (specifier === '@tensorflow/tfjs-backend-webgpu') return {};
    throw new Error(`unexpected import ${specifier}`);
  };
}

/** nodeEnvironment on that fake Dawn, whose 'auto' probe looks through the same fake, in this process. */
function fakeDawnEnvironment(info: Record<string, unknown> | null) {
  const loader = dawnLoader(info);
  return nodeEnvironment(loader, [], (flags) => probeWebGpu(loader, flags));
}

const llvmpipe = {
  vendor: 'mesa',
  architecture: 'llvmpipe',
  description: 'llvmpipe: Mesa 25.0.7',
  isFallbackAdapter: false,
};
const hopper = { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' };

test('webgpu: auto passes over a software adapter, --backend webgpu takes it', async (t) => {
  const auto = await fakeDawnEnvironment(llvmpipe).activate('webgpu', { explicit: false });
  t.deepEqual(auto, {
    ok: false,
    problem:
      'only a software WebGPU adapter was found, mesa llvmpipe (llvmpipe: Mesa 25.0.7), which runs only when asked for with --backend webgpu',
  });
  // Asked for by name, the software adapter is accepted; this fake package then registers no backend.
  const explicit = await fakeDawnEnvironment(llvmpipe).activate('webgpu', { explicit: true });
  t.false(explicit.ok);
  t.regex(explicit.ok ? '' : explicit.problem, /tfjs-backend-webgpu did not initialise/);
});

test('webgpu: no adapter says how to get a driver', async (t) => {
  const outcome = await fakeDawnEnvironment(null).activate('webgpu', { explicit: true });
  t.deepEqual(outcome, { ok: false, problem: NO_ADAPTER_HINT });
});

test('webgpu: auto loads Dawn in this process only when the probe found a hardware adapter', async (t) => {
  const probes: string[][] = [];
  const probeFinding = (info: Record<string, unknown>) => async (flags: readonly string[]) => {
    probes.push([...flags]);
    return probeWebGpu(dawnLoader(info), flags);
  };
  const softwareImports: string[] = [];
  const software = nodeEnvironment(dawnLoader(llvmpipe, softwareImports), ['a=b'], probeFinding(llvmpipe));
  const refused = await software.activate('webgpu', { explicit: false });
  t.regex(refused.ok ? '' : refused.problem, /^only a software WebGPU adapter was found, mesa llvmpipe/);
  t.deepEqual(softwareImports, [], 'Dawn is not loaded here for a software adapter');

  const hardwareImports: string[] = [];
  const hardware = nodeEnvironment(dawnLoader(hopper, hardwareImports), ['a=b'], probeFinding(hopper));
  const outcome = await hardware.activate('webgpu', { explicit: false });
  t.regex(outcome.ok ? '' : outcome.problem, /tfjs-backend-webgpu did not initialise/);
  t.deepEqual(hardwareImports, ['webgpu', '@tensorflow/tfjs-backend-webgpu']);
  t.deepEqual(probes, [['a=b'], ['a=b']], "the probe gets Dawn's switches");
});

test('webgpu: asked for by name, Dawn is loaded at once, without the probe', async (t) => {
  const imports: string[] = [];
  const env = nodeEnvironment(dawnLoader(llvmpipe, imports), [], async () => {
    t.fail('the probe ran');
    return { ok: false, problem: 'unreachable' };
  });
  const outcome = await env.activate('webgpu', { explicit: true });
  t.regex(outcome.ok ? '' : outcome.problem, /tfjs-backend-webgpu did not initialise/);
  t.deepEqual(imports, ['webgpu', '@tensorflow/tfjs-backend-webgpu']);
});

test("webgpu: the probe's problem is auto's reason to pass over webgpu", async (t) => {
  const imports: string[] = [];
  const problem = 'the WebGPU adapter probe (Dawn in a child process) crashed (SIGSEGV)';
  const env = nodeEnvironment(dawnLoader(hopper, imports), [], async () => ({ ok: false, problem }));
  t.deepEqual(await env.activate('webgpu', { explicit: false }), { ok: false, problem });
  t.deepEqual(imports, []);
});

test('describeAdapter recognises software adapters by flag or name', (t) => {
  t.false(describeAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }).software);
  t.is(
    describeAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }).description,
    'nvidia hopper (NVIDIA H200)',
  );
  t.true(describeAdapter({ vendor: 'google', architecture: 'swiftshader' }).software);
  t.true(describeAdapter({ vendor: 'x' }, true).software);
});

test('isNotInstalled: a missing dependency of the package is not the package missing', (t) => {
  const dependency = Object.assign(new Error("Cannot find package '@tensorflow/tfjs' imported from tfjs-node"), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
  t.false(isNotInstalled(dependency, '@tensorflow/tfjs-node'));
  t.true(
    isNotInstalled(
      Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node'"), { code: 'MODULE_NOT_FOUND' }),
      '@tensorflow/tfjs-node',
    ),
  );
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
  if (choice.tfName === 'tensorflow') {
    t.true(resolvable('@tensorflow/tfjs-node-gpu') || resolvable('@tensorflow/tfjs-node'));
    return;
  }
  if (choice.name === 'webgpu') {
    t.regex(choice.reason, /adapter /); // a hardware GPU on this machine
    return;
  }
  t.is(choice.name, 'wasm');
  // tfjs-node-gpu is an optional dependency: installed where its native binding is missing, it fails to load.
  t.regex(
    choice.reason,
    /^@tensorflow\/tfjs-node-gpu (is not installed|failed to load \([^;]*\)); (only a software WebGPU adapter|no WebGPU adapter)[^;]*; @tensorflow\/tfjs-node (is not installed|failed to load \([^;]*\)); /,
  );
  t.regex(choice.reason, /wasm loaded \(SIMD, single thread\)/);
});
