/**
 * The image workers are processes, and behave as a run needs them to: frames reassemble from any
 * split of the pipe's bytes; a worker killed mid-job fails that job with the file and the reason
 * and is replaced; a stop signal (a Ctrl-C reaches the whole process group) leaves the workers
 * alone, the run decides; and workers whose parent is killed with SIGKILL exit by themselves.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import sharp from 'sharp';
import { chooseDecoder } from '../../../../runtime/data/pipeline/decoder.ts';
import { type Frame, FrameReader, errorFrame, resultFrame } from '../../../../runtime/data/pipeline/frames.ts';
import { finishJob } from '../../../../runtime/data/pipeline/image_job.ts';
import { startImagePool } from '../../../../runtime/data/pipeline/pool.ts';

const root = mkdtempSync(path.join(tmpdir(), 'lpt-workers-'));
const file = path.join(root, 'a.png');
writeFileSync(
  file,
  await sharp(Buffer.alloc(20 * 16 * 3, 90), { raw: { width: 20, height: 16, channels: 3 } })
    .png()
    .toBuffer(),
);
const job = (k: number) => ({
  file,
  channels: 3 as const,
  transforms: [{ kind: 'randomResizedCrop' as const, size: 8 }],
  seed: 0,
  keys: [k],
});

/** The pids of this process's children whose command line names the image worker. */
function workerPids(parent: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return (
          Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent &&
          readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('worker_entry.mjs')
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

async function until(what: string, ready: () => boolean, ms = 15000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('frames reassemble from any split of the bytes', (t) => {
  const image = {
    data: Float32Array.from({ length: 3 * 5 * 7 }, (_, i) => i / 7 - 2),
    channels: 3,
    height: 5,
    width: 7,
  };
  const rgb = {
    pixels: { data: Uint8Array.from({ length: 4 * 6 * 3 }, (_, i) => (i * 37) & 255), height: 4, width: 6 },
    tailStart: 2,
    flipped: true,
  };
  const error = { kind: 'format' as const, file: 'x.jpg', problem: 'corrupt JPEG image', line: 4 };
  const stream = Buffer.concat([
    ...resultFrame(3, { image }),
    ...errorFrame(4, error),
    ...resultFrame(5, rgb),
    ...resultFrame(6, { ...rgb, flipped: false }),
  ]);
  for (const piece of [1, 7, 32, 33, 100, stream.length]) {
    const got: Frame[] = [];
    const reader = new FrameReader((f) => got.push(f));
    for (let at = 0; at < stream.length; at += piece) reader.push(stream.subarray(at, at + piece));
    t.deepEqual(
      got,
      [
        { id: 3, result: { image } },
        { id: 4, error },
        { id: 5, result: rgb },
        { id: 6, result: { ...rgb, flipped: false } },
      ],
      `pieces of ${piece}`,
    );
  }
});

const onLinux = process.platform === 'linux' ? test.serial : test.skip;

onLinux('a worker killed mid-job fails that job with the file and the reason, and is replaced', async (t) => {
  const pool = await startImagePool(1, await chooseDecoder('sharp'));
  t.teardown(() => pool.close());
  await pool.load(job(0));
  const [pid] = workerPids(process.pid);
  t.truthy(pid, 'one worker process');
  const inFlight = [1, 2, 3, 4, 5, 6, 7, 8].map((k) =>
    pool.load(job(k)).then(
      () => null,
      (e: Error) => e.message,
    ),
  );
  process.kill(pid!, 'SIGKILL');
  const failed = (await Promise.all(inFlight)).filter((m) => m !== null);
  t.true(failed.length > 0, 'the jobs in flight when it died fail');
  for (const message of failed)
    t.regex(message!, new RegExp(`an image worker process failed while loading ${file}: exited with SIGKILL`));
  await until('the replacement', () => workerPids(process.pid).some((p) => p !== pid));
  t.is(finishJob(job(9), await pool.load(job(9))).height, 8);
});

onLinux('a stop signal leaves the workers alone', async (t) => {
  const pool = await startImagePool(1, await chooseDecoder('sharp'));
  t.teardown(() => pool.close());
  await pool.load(job(0));
  const [pid] = workerPids(process.pid);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.kill(pid!, signal);
  t.is(finishJob(job(1), await pool.load(job(1))).height, 8);
  t.deepEqual(workerPids(process.pid), [pid]);
});

onLinux('workers whose parent is killed with SIGKILL exit by themselves', async (t) => {
  const script = `
    import { chooseDecoder } from ${JSON.stringify(path.resolve('runtime/data/pipeline/decoder.ts'))};
    import { startImagePool } from ${JSON.stringify(path.resolve('runtime/data/pipeline/pool.ts'))};
    const pool = await startImagePool(2, await chooseDecoder('sharp'));
    await Promise.all([0, 1, 2, 3].map((k) => pool.load(${JSON.stringify(job(0))})));
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);
  `;
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    parent.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    parent.on('exit', (code) => reject(new Error(`the parent exited first (${code})`)));
  });
  const workers = workerPids(parent.pid!);
  t.is(workers.length, 2, 'two worker processes');
  parent.kill('SIGKILL');
  await until('the orphaned workers to exit', () => workers.every((p) => !alive(p)));
  t.pass();
});
