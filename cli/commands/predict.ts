/**
 * `lpt predict RUN_DIR IMAGES_OR_FOLDER... [--variant V] [--seed N] [--expert NAME] [--top K]
 * --output predictions.csv`: a finished run's model on image files (runtime/use/predict_images.ts).
 * Exit 0 on success, 1 for a run, image or expert that cannot be used, 2 for bad usage.
 */
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../io/atomic.ts';
import { imageFiles, predictImages, type Prediction } from '../../runtime/use/predict_images.ts';
import { predictionTarget } from '../../runtime/use/trained_run.ts';
import {
  ExitCode,
  UsageError,
  parseCommandArgs,
  positiveIntegerOption,
  requiredOption,
  type Command,
} from './command.ts';
import { openTrainedRun, TRAINED_RUN_OPTIONS } from './open_trained_run.ts';

const usage = `usage: lpt predict RUN_DIR IMAGES_OR_FOLDER... [--variant NAME] [--seed N] [--expert NAME] [--top K] --output FILE.csv

Classifies image files (.jpg, .jpeg, .png; a folder is searched recursively) with the trained
model of a finished run: each image goes through the test transforms of the plan (the pipeline of
its first evaluate block's split, as the run's evaluation), then the model; LPT++ runs use the
MoE scorer's mixture unless --expert names one expert. Writes a CSV (atomically) with the header
file,rank,class,name,probability: one line per image and rank 1..K, most probable first.

options:
  --output FILE.csv  where to write the predictions (required)
  --variant NAME     the row to use, as results.json names it (needed when the run holds several)
  --seed N           the seed of that row (for rows run with --seeds)
  --expert NAME      an LPT++ expert (e.g. visual, vl) instead of the mixture
  --top K            the K most probable classes per image (default 1)
  --backend B        the TensorFlow.js backend (default: the one the run used, else the plan's)
  -h, --help         this help`;

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...TRAINED_RUN_OPTIONS,
      output: { type: 'string' },
      expert: { type: 'string' },
      top: { type: 'string' },
    });
    if (positionals.length < 2)
      throw new UsageError(positionals.length === 0 ? 'no RUN_DIR given.' : 'no images or folder given.');
    const output = resolve(io.cwd, requiredOption(values.output, '--output'));
    const top = positiveIntegerOption(values.top, '--top') ?? 1;
    const files = await imageFiles(positionals.slice(1).map((p) => resolve(io.cwd, p)));
    const trained = await openTrainedRun({ ...values, runDir: positionals[0]! }, io, 'predict');
    try {
      if (top > trained.plan.classes)
        throw new UsageError(`--top ${top} is more than the model's ${trained.plan.classes} classes.`);
      const target = await predictionTarget(trained, values.expert);
      const predictions = await predictImages(trained, target, files, top);
      writeFileAtomic(output, predictionsCsv(predictions));
      io.stdout(`wrote ${values.output}: ${predictions.length} images, top ${top}, ${trained.variant}`);
    } finally {
      trained.dispose();
    }
    return ExitCode.ok;
  },
};

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function predictionsCsv(predictions: readonly Prediction[]): string {
  const lines = predictions.flatMap((p) =>
    p.top.map((t, rank) => [csvField(p.file), rank + 1, t.class, csvField(t.name), t.probability.toFixed(6)].join(',')),
  );
  return ['file,rank,class,name,probability', ...lines, ''].join('\n');
}
