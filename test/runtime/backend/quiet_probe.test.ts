/**
 * On this machine: `lpt run` with backend auto looks for a WebGPU adapter without printing what
 * Dawn writes while it looks (on lavapipe, two "maxDynamic... artificially reduced" warnings), and
 * LPT_DAWN_FLAGS reach that look. Skips, with one line, where Dawn finds no adapter (no Vulkan
 * driver: scripts/ci/install_lavapipe.sh installs Mesa's software one).
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { probeAdapterInChild } from '../../../runtime/backend/adapter_probe.ts';
import { nodeEnvironment } from '../../../runtime/backend/environment.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { tinyPlans } from '../../helpers/tiny_run.ts';

const FILE = 'test/runtime/backend/quiet_probe.test.ts';
const root = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

const probe = await probeAdapterInChild([]);
if (!probe.ok) console.log(`${FILE}: skipped, Dawn finds no adapter here: ${probe.problem}`);
const adapterTest = probe.ok ? test : test.skip;

test.before(async () => {
  await useTestBackend(); // tinyPlans draws its random weights with tfjs
});

adapterTest('lpt run with backend auto prints nothing of Dawn, and says which adapter it passed over', async (t) => {
  const { dir } = tinyPlans();
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(root, 'bin/lpt.js'), 'run', 'tiny.lpt', '--variant', 'VPT', '--out', 'out'],
      { cwd: dir, timeout: 240_000, env: { ...process.env, LPT_DAWN_FLAGS: '' } },
    );
    const header = stdout.split('\n')[0] ?? '';
    if (probe.ok && probe.adapter.software) {
      t.regex(header, /^run tiny \/ VPT: backend (wasm|tensorflow|node) \(/);
      t.true(
        header.includes(
          `; only a software WebGPU adapter was found, ${probe.adapter.description}, which runs only when asked for with --backend webgpu; `,
        ),
        header,
      );
      t.false(/artificially reduced|^Warning: /m.test(stderr), stderr);
    } else {
      t.regex(header, /^run tiny \/ VPT: backend webgpu \(/); // a hardware GPU: Dawn runs, and may speak
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

adapterTest("Dawn's switches reach the probe", async (t) => {
  const outcome = await nodeEnvironment(undefined, ['not-a-switch']).activate('webgpu', { explicit: false });
  t.deepEqual(outcome, {
    ok: false,
    problem: 'Dawn could not start (Flags expected argument format is <key>=<value>)',
  });
  const robust = await probeAdapterInChild(['disable-dawn-features=vulkan_use_buffer_robust_access_2']);
  t.deepEqual(robust, probe);
});
