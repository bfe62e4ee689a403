/**
 * `npm run bench:data [-- --json]`: images per second of lpt's train and test pipelines at 224 px
 * (decoder, worker pool, read-ahead) against torchvision's ImageFolder + DataLoader with the same
 * number of workers, interleaved in one invocation over the same folder of photo-sized JPEGs
 * (made from MNIST, bench/data/make_folder.ts, or `--folder DIR` of class sub-folders); then
 * whether the loader starves a training step (bench/data/starve.ts). See docs/PERFORMANCE.md.
 */
import { loadavg } from 'node:os';
import { initBackend } from '../../runtime/backend/init.ts';
import { loadImageFolder } from '../../runtime/data/files.ts';
import { chooseDecoder } from '../../runtime/data/pipeline/decoder.ts';
import { imageLoadingFromEnv } from '../../runtime/data/pipeline/image_loading_env.ts';
import { type DataBenchArgs, parseDataBenchArgs } from './args.ts';
import { timeLptLoader } from './lpt_loader.ts';
import { benchFolder } from './make_folder.ts';
import { type PipelineName, pipeline } from './pipelines.ts';
import { measureStarvation } from './starve.ts';
import { timeTorchLoader, torchvisionVersion } from './torch_data.ts';

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(args: DataBenchArgs): Promise<void> {
  const log = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);
  const emit = (record: Record<string, unknown>, line: string) =>
    args.json ? process.stdout.write(`${JSON.stringify(record)}\n`) : log(line);
  const folder = args.folder ?? (await benchFolder(args.images, log));
  const dataset = await loadImageFolder(folder);
  const decoder = await chooseDecoder(imageLoadingFromEnv(process.env).decoder, 'LPT_DECODER');
  const torch = args.torch
    ? await torchvisionVersion()
    : { ok: false as const, reason: 'torchvision skipped (--no-torch)' };
  log(
    `folder ${folder}: ${dataset.labels.length} images, ${dataset.classes} classes; decoder ${decoder.label} (${decoder.reason})`,
  );
  log(torch.ok ? `peer ${torch.version}, ImageFolder + DataLoader, 1 thread per worker` : torch.reason);
  log(`batch ${args.batch}, best of ${args.rounds} passes; load average ${load()}`);
  for (const workers of args.workers) {
    for (const name of ['train', 'test'] as PipelineName[]) {
      const options = { workers, batch: args.batch, rounds: args.rounds };
      const lpt = await timeLptLoader(dataset, pipeline(name), { ...options, decoder });
      emit(
        { impl: 'lpt', pipeline: name, workers, img_per_s: lpt.img_per_s, decoder: decoder.name, images: lpt.images },
        `lpt   ${name.padEnd(5)} workers ${workers}: ${lpt.img_per_s.toFixed(1)} img/s`,
      );
      if (!torch.ok) continue;
      const peer = await timeTorchLoader(folder, name, options);
      emit(
        {
          impl: 'torch',
          pipeline: name,
          workers,
          img_per_s: peer.img_per_s,
          images: peer.images,
          ratio_lpt_to_torch: lpt.img_per_s / peer.img_per_s,
        },
        `torch ${name.padEnd(5)} workers ${workers}: ${peer.img_per_s.toFixed(1)} img/s   lpt/torch ${(lpt.img_per_s / peer.img_per_s).toFixed(2)}`,
      );
    }
  }
  if (args.starve) {
    const backend = await initBackend({ preference: process.env.LPT_BACKEND ?? 'auto', source: 'LPT_BACKEND' });
    const workers = args.workers[args.workers.length - 1]!;
    const s = await measureStarvation(dataset, pipeline('train'), {
      workers,
      batch: args.batch,
      steps: args.steps,
      decoder,
    });
    const starved = s.wait_s / s.step_s_loader;
    emit(
      {
        impl: 'lpt',
        measure: 'starvation',
        backend: backend.name,
        workers,
        ...s,
        slowdown: s.step_s_loader / s.step_s_ready,
        waiting_share: starved,
      },
      `starvation (${backend.name}, train pipeline, ${workers} workers, batch ${s.batch}): stand-in step ${s.step_s_ready.toFixed(3)} s with data ready, ` +
        `${s.step_s_loader.toFixed(3)} s with the loader (x${(s.step_s_loader / s.step_s_ready).toFixed(2)}), of which ${s.wait_s.toFixed(3)} s waiting (${(starved * 100).toFixed(0)} %)`,
    );
  }
  log(`load average at the end ${load()}`);
}

try {
  await main(parseDataBenchArgs(process.argv.slice(2)));
} catch (error) {
  if (!(error instanceof Error && error.name === 'DataBenchArgsError')) throw error;
  process.stderr.write(`bench:data: ${error.message}\n`);
  process.exitCode = 2;
}
