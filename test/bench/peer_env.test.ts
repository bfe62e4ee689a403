import test from 'ava';
import { peerEnvironment } from '../../bench/peer_env.ts';
import { coreTypeOf } from '../../bench/peers.ts';
import { keptMemoryTunables } from '../../runtime/data/pipeline/kept_memory.ts';

/** Runs `body` with these variables unset, then puts them back. */
function withoutVariables(names: readonly string[], body: () => void): void {
  const saved = names.map((name) => [name, process.env[name]] as const);
  try {
    for (const name of names) delete process.env[name];
    body();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

test("peer environment: the addon's OpenBLAS core type and thread timeout, unless the environment names them", (t) => {
  t.is(coreTypeOf('libopenblas.so.0 (SkylakeX)'), 'SkylakeX');
  t.is(coreTypeOf('vendored'), null);
  withoutVariables(['OPENBLAS_CORETYPE', 'OPENBLAS_THREAD_TIMEOUT'], () => {
    const env = peerEnvironment({ model: 'timm', allocator: 'default', wait: 'passive' }, 'SkylakeX');
    t.deepEqual(env, {
      ok: true,
      env: { OMP_WAIT_POLICY: 'passive', OPENBLAS_CORETYPE: 'SkylakeX', OPENBLAS_THREAD_TIMEOUT: '4' },
    });
    process.env.OPENBLAS_CORETYPE = 'Haswell';
    process.env.OPENBLAS_THREAD_TIMEOUT = '10';
    const kept = peerEnvironment({ model: 'timm', allocator: 'default', wait: 'active' }, 'SkylakeX');
    t.deepEqual(kept, { ok: true, env: { OMP_WAIT_POLICY: 'active' } });
  });
});

test('peer environment: glibc keeps freed memory through GLIBC_TUNABLES; a preloaded allocator must exist', (t) => {
  const glibc = peerEnvironment({ model: 'encoder', allocator: 'glibc', wait: 'passive' }, null);
  t.true(glibc.ok);
  t.is(
    glibc.ok ? glibc.env.GLIBC_TUNABLES : '',
    'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824',
  );
  t.is(keptMemoryTunables(), 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864');
  const jemalloc = peerEnvironment({ model: 'timm', allocator: 'jemalloc', wait: 'passive' }, null);
  if (jemalloc.ok) t.regex(jemalloc.env.LD_PRELOAD ?? '', /libjemalloc\.so\.2$/);
  else t.regex(jemalloc.reason, /libjemalloc\.so\.2 not found \(Debian: apt-get install libjemalloc2\)/);
});
