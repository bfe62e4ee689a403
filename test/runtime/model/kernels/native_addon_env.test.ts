/**
 * The native addon asks OpenBLAS for its AVX-512 kernels and for workers that sleep right after a
 * product (native/src/gemm.c) through environment variables read while the library loads, then
 * takes them back out: child processes (the bench's PyTorch peers, image workers) see the
 * environment they were given. A variable the user set is left as it is.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { nativeTest } from '../../../helpers/native.ts';

const addonPath = resolve(import.meta.dirname, '../../../../native/build/Release/lpt_native.node');

/** The addon's BLAS label and the two variables as a fresh process sees them after loading it. */
function afterLoading(env: Record<string, string>): { blas: string; coretype: string | null; timeout: string | null } {
  const script = `const a = require(${JSON.stringify(addonPath)});
    console.log(JSON.stringify({ blas: a.info().blas, coretype: process.env.OPENBLAS_CORETYPE ?? null,
      timeout: process.env.OPENBLAS_THREAD_TIMEOUT ?? null }));`;
  const base = { ...process.env };
  delete base.OPENBLAS_CORETYPE;
  delete base.OPENBLAS_THREAD_TIMEOUT;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...base, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { blas: string; coretype: string | null; timeout: string | null };
}

nativeTest('loading the addon leaves no OpenBLAS variable behind, and keeps the ones the user set', (t) => {
  const plain = afterLoading({});
  t.is(plain.coretype, null, plain.blas);
  t.is(plain.timeout, null);
  const chosen = afterLoading({ OPENBLAS_THREAD_TIMEOUT: '10', OPENBLAS_CORETYPE: 'Haswell' });
  t.is(chosen.timeout, '10');
  t.is(chosen.coretype, 'Haswell');
  if (chosen.blas.includes('libopenblas')) t.regex(chosen.blas, /Haswell/);
});
