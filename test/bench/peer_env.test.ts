import test from 'ava';
import { peerEnvironment } from '../../bench/peer_env.ts';
import { coreTypeOf } from '../../bench/peers.ts';
import { keptMemoryTunables } from '../../runtime/data/pipeline/kept_memory.ts';

test("peer environment: the addon's OpenBLAS core type, unless the environment names one", (t) => {
  t.is(coreTypeOf('libopenblas.so.0 (SkylakeX)'), 'SkylakeX');
  t.is(coreTypeOf('vendored'), null);
  const saved = process.env.OPENBLAS_CORETYPE;
  try {
    delete process.env.OPENBLAS_CORETYPE;
    const env = peerEnvironment({ model: 'timm', allocator: 'default', wait: 'passive' }, 'SkylakeX');
    t.deepEqual(env, { ok: true, env: { OMP_WAIT_POLICY: 'passive', OPENBLAS_CORETYPE: 'SkylakeX' } });
    process.env.OPENBLAS_CORETYPE = 'Haswell';
    const kept = peerEnvironment({ model: 'timm', allocator: 'default', wait: 'active' }, 'SkylakeX');
    t.deepEqual(kept, { ok: true, env: { OMP_WAIT_POLICY: 'active' } });
  } finally {
    if (saved === undefined) delete process.env.OPENBLAS_CORETYPE;
    else process.env.OPENBLAS_CORETYPE = saved;
  }
});

test('peer environment: glibc keeps freed memory through GLIBC_TUNABLES; a preloaded allocator must exist', (t) => {
  const glibc = peerEnvironment({ model: 'encoder', allocator: 'glibc', wait: 'passive' }, null);
  t.deepEqual(glibc, {
    ok: true,
    env: {
      OMP_WAIT_POLICY: 'passive',
      GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824',
    },
  });
  t.is(keptMemoryTunables(), 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864');
  const jemalloc = peerEnvironment({ model: 'timm', allocator: 'jemalloc', wait: 'passive' }, null);
  if (jemalloc.ok) t.regex(jemalloc.env.LD_PRELOAD ?? '', /libjemalloc\.so\.2$/);
  else t.regex(jemalloc.reason, /libjemalloc\.so\.2 not found \(Debian: apt-get install libjemalloc2\)/);
});
