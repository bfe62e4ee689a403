/**
 * The child process 'auto' looks for a WebGPU adapter in (runtime/backend/adapter_probe.ts): its
 * answers, and one clear problem for a child that crashes, hangs, fails or prints nonsense. The
 * children here are small stand-in scripts; the real one on this machine is
 * test/runtime/backend/quiet_probe.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { runChildProbe } from '../../../runtime/backend/adapter_probe.ts';
import { NO_ADAPTER_HINT } from '../../../runtime/backend/webgpu.ts';

const dir = mkdtempSync(join(tmpdir(), 'lpt-adapter-probe-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in child whose body is `source`. */
function child(name: string, source: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, source);
  return file;
}

const WHO = 'the WebGPU adapter probe (Dawn in a child process)';

test('a hardware adapter is described as selection describes it, and gets the switches', async (t) => {
  const script = child(
    'hardware',
    `const info = { vendor: 'nvidia', architecture: 'hopper', description: process.argv.slice(2).join(' ') };
     process.stderr.write('Warning: something Dawn says\\n');
     console.log(JSON.stringify({ stage: 'adapter', adapter: { info, isFallbackAdapter: false } }));`,
  );
  t.deepEqual(await runChildProbe(['a=1', 'b=2'], { script }), {
    ok: true,
    adapter: { description: 'nvidia hopper (a=1 b=2)', software: false },
  });
});

test("Dawn's fallback flag marks a software adapter; no adapter says how to get a driver", async (t) => {
  const fallback = answering('fallback', {
    stage: 'adapter',
    adapter: { info: { vendor: 'x' }, isFallbackAdapter: true },
  });
  t.deepEqual(await runChildProbe([], { script: fallback }), {
    ok: true,
    adapter: { description: 'x', software: true },
  });
  const none = answering('none', { stage: 'adapter', adapter: null });
  t.deepEqual(await runChildProbe([], { script: none }), { ok: false, problem: NO_ADAPTER_HINT });
});

/** A stand-in child that prints `report` as the real one does. */
function answering(name: string, report: object): string {
  return child(name, `console.log(${JSON.stringify(JSON.stringify(report))});`);
}

test("the child's load and start failures read as they do in-process", async (t) => {
  const cases: [string, object, string][] = [
    [
      'missing',
      {
        stage: 'load',
        error: { code: 'ERR_MODULE_NOT_FOUND', message: "Cannot find package 'webgpu' imported from x" },
      },
      'webgpu (Dawn for Node) is not installed',
    ],
    [
      'broken',
      { stage: 'load', error: { message: 'libvulkan.so.1: cannot open\nmore' } },
      'webgpu (Dawn for Node) failed to load (libvulkan.so.1: cannot open)',
    ],
    [
      'refused',
      { stage: 'start', error: { message: 'Flags expected argument format is <key>=<value>' } },
      'Dawn could not start (Flags expected argument format is <key>=<value>)',
    ],
  ];
  for (const [name, report, problem] of cases)
    t.deepEqual(await runChildProbe([], { script: answering(name, report) }), { ok: false, problem }, name);
});

test('a child that crashes is named with its signal and its last message on stderr', async (t) => {
  const script = child(
    'crash',
    `process.stderr.write('Warning: first\\nvkCreateDevice failed; giving up\\n');
     process.kill(process.pid, 'SIGSEGV');`,
  );
  t.deepEqual(await runChildProbe([], { script }), {
    ok: false,
    problem: `${WHO} crashed (SIGSEGV), its last message on stderr: vkCreateDevice failed, giving up`,
  });
});

test('a child that hangs is stopped at the timeout', async (t) => {
  const script = child('hang', `setInterval(() => {}, 1000);`);
  const started = Date.now();
  t.deepEqual(await runChildProbe([], { script, timeoutMs: 500 }), {
    ok: false,
    problem: `${WHO} did not answer within 0.5 s`,
  });
  t.true(Date.now() - started < 10_000);
});

test('a child that fails or answers nonsense is one line, never a stack trace', async (t) => {
  const failing = child('failing', `throw new Error('boom');`);
  t.deepEqual(await runChildProbe([], { script: failing }), {
    ok: false,
    problem: `${WHO} exited with code 1 without an answer, its last message on stderr: Error: boom`,
  });
  const nonsense = child('nonsense', `console.log('hello'); console.error('odd');`);
  t.deepEqual(await runChildProbe([], { script: nonsense }), {
    ok: false,
    problem: `${WHO} printed no answer, its last message on stderr: odd`,
  });
  const silent = answering('silent', { stage: 'elsewhere' });
  t.deepEqual(await runChildProbe([], { script: silent }), { ok: false, problem: `${WHO} printed no answer` });
});
