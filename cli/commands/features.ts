/**
 * `lpt features WEIGHTS --naming SCHEME --input X.npy --output Y.npy [--heads N] [--backend B]`:
 * final-LayerNorm CLS features of a frozen ViT for a float32 NCHW batch, written as a float32
 * .npy [B, D]. For linear probes, and the parity contract with PyTorch (test/fixtures/vit/).
 * Exit 0 on success, 1 for a bad weight/input file or an unavailable backend, 2 for bad usage.
 */
import { runtimeSettingsFromEnv } from '../runtime_settings.ts';
import { resolve } from 'node:path';
import { extractFeatures } from '../../runtime/features.ts';
import { BACKEND_PREFERENCES, BackendError } from '../../runtime/backend/preference.ts';
import { GpuError } from '../../runtime/backend/gpu_guard.ts';
import { isWeightsError } from '../../runtime/weights/errors.ts';
import { namingSchemes } from '../../runtime/weights/naming/index.ts';
import { isOneOf, WEIGHT_FORMATS, WEIGHT_NAMINGS } from '../../plan/enums.ts';
import {
  ExitCode,
  UsageError,
  parseCommandArgs,
  positiveIntegerOption,
  requiredOption,
  type Command,
} from './command.ts';

const usage = `usage: lpt features WEIGHTS --naming SCHEME --input X.npy --output Y.npy [options]

Runs the frozen ViT in WEIGHTS on the images in X.npy (float32, NCHW [B, C, S, S]) and writes
the final-LayerNorm CLS features [B, D] to Y.npy (float32). The architecture (patch, dim, depth,
image size, channels, MLP width) is read from the tensor shapes.

naming schemes:
${WEIGHT_NAMINGS.map((n) => `  ${n.padEnd(12)} ${namingSchemes[n].description}`).join('\n')}

options:
  --naming SCHEME     how WEIGHTS names its tensors (required)
  --input X.npy       images, float32 NCHW (required)
  --output Y.npy      where to write the features (required; written atomically)
  --heads N           attention heads (default: from the file when it says, else dim/64, at least 1)
  --format F          ${WEIGHT_FORMATS.join(' | ')} (default: from the extension)
  --batch-size N      images per forward pass (default 32)
  --backend B         ${BACKEND_PREFERENCES.join(' | ')} (default auto; a software GPU only by name)
  -h, --help          this help`;

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parse(args);
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0 ? 'no WEIGHTS file given.' : `expected one WEIGHTS file, got ${positionals.length}.`,
      );
    const naming = requiredOption(values.naming, '--naming');
    if (!isOneOf(WEIGHT_NAMINGS, naming))
      throw new UsageError(`unknown naming '${naming}' (expected ${WEIGHT_NAMINGS.join(', ')}).`);
    const format = values.format;
    if (format !== undefined && !isOneOf(WEIGHT_FORMATS, format))
      throw new UsageError(`unknown format '${format}' (expected ${WEIGHT_FORMATS.join(', ')}).`);
    const heads = positiveIntegerOption(values.heads, '--heads');
    const batchSize = positiveIntegerOption(values['batch-size'], '--batch-size');
    const weights = resolve(io.cwd, positionals[0]!);
    const output = resolve(io.cwd, requiredOption(values.output, '--output'));
    try {
      const result = await extractFeatures({
        weights,
        naming,
        format,
        heads,
        batchSize,
        input: resolve(io.cwd, requiredOption(values.input, '--input')),
        output,
        backend: values.backend ?? 'auto',
        speed: runtimeSettingsFromEnv().speed,
        onNote: (note) => io.stderr(`lpt features: ${note}`),
      });
      const c = result.config;
      io.stdout(
        `wrote ${values.output}: ${result.images} x ${result.dim} features ` +
          `(ViT image ${c.imageSize}, patch ${c.patchSize}, ${c.channels} channels, dim ${c.dim}, depth ${c.depth}, heads ${c.heads}, mlp ${c.mlpDim}${c.activation === 'quick_gelu' ? ', QuickGELU' : ''}) ` +
          `in ${result.seconds.toFixed(2)} s on ${result.backend}`,
      );
      return ExitCode.ok;
    } catch (error) {
      if (isWeightsError(error) || error instanceof BackendError || error instanceof GpuError) {
        io.stderr(`lpt features: ${error.message}`);
        return ExitCode.inputErrors;
      }
      throw error;
    }
  },
};

const options = {
  naming: { type: 'string' },
  heads: { type: 'string' },
  input: { type: 'string' },
  output: { type: 'string' },
  format: { type: 'string' },
  'batch-size': { type: 'string' },
  backend: { type: 'string' },
} as const;

function parse(args: readonly string[]) {
  return parseCommandArgs(args, options);
}
