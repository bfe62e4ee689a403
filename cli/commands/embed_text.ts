/**
 * `lpt embed-text WEIGHTS --naming clip|open_clip|hf --texts FILE [--template T | --templates SET|FILE] --output OUT.npy [--cache DIR]`:
 * CLIP text embeddings of every line of FILE (through the template, or the template ensemble,
 * when given), L2-normalised, written as a float32 .npy [N, E]. The class-name embeddings of the
 * `text` head's encoder form; --cache stores them where that head looks them up.
 * Exit 0 on success, 1 for a bad weight/text file or an unavailable backend, 2 for bad usage.
 */
import { resolve } from 'node:path';
import { BACKEND_PREFERENCES, BackendError } from '../../runtime/backend/preference.ts';
import { GpuError } from '../../runtime/backend/gpu_guard.ts';
import { embedTextFile } from '../../runtime/text/embed_file.ts';
import { nativeAddonSettingsFromEnv } from '../../runtime/settings_env.ts';
import { isTextInputError } from '../../runtime/text/text_inputs.ts';
import { describeTextConfig } from '../../runtime/text/text_config.ts';
import { isWeightsError } from '../../runtime/weights/errors.ts';
import { textNamingSchemes } from '../../runtime/weights/naming/text/index.ts';
import { isOneOf, TEXT_NAMINGS, WEIGHT_FORMATS } from '../../plan/enums.ts';
import { templateSetNames, templateSets } from '../../compiler/spec/template_sets.ts';
import { textEmbeddingCacheDir } from '../../runtime/text/text_cache.ts';
import {
  ExitCode,
  UsageError,
  parseCommandArgs,
  positiveIntegerOption,
  requiredOption,
  type Command,
} from './command.ts';

const usage = `usage: lpt embed-text WEIGHTS --naming SCHEME --texts FILE --output OUT.npy [options]

Runs the CLIP text tower in WEIGHTS on every line of FILE (one class name or text per line; no
empty lines) and writes the L2-normalised embeddings [N, E] to OUT.npy (float32), one row per
line. The architecture (vocabulary, context, width, depth, MLP, embedding width) is read from the
tensor shapes. Texts are tokenized as OpenAI CLIP does (77 tokens, longer texts cut).

naming schemes:
${TEXT_NAMINGS.map((n) => `  ${n.padEnd(12)} ${textNamingSchemes[n].description}`).join('\n')}

options:
  --naming SCHEME     how WEIGHTS names its tensors (required)
  --texts FILE        the texts, one per line (required)
  --template T        prompt template with one {} for each line, e.g. "a photo of a {}."
  --templates SET|FILE
                      a template ensemble, as text(templates: ...): a named set (${templateSetNames.join(', ')})
                      or a file of one template per line; each line's embedding is the normalised
                      mean of its templates' normalised embeddings
  --cache DIR         also store the embeddings in DIR/.cache/text-embeddings under the key a
                      text head with these weights, templates and class names (the lines, in
                      order) looks up, DIR being the runs folder (the plan's out, default runs)
  --output OUT.npy    where to write the embeddings (required; written atomically)
  --heads N           attention heads (default: the file's lpt.text_heads metadata, else width/64)
  --act A             gelu | quick_gelu (default: quick_gelu for clip and hf, gelu for open_clip)
  --format F          ${WEIGHT_FORMATS.join(' | ')} (default: from the extension)
  --batch-size N      texts per forward pass (default 64)
  --backend B         ${BACKEND_PREFERENCES.join(' | ')} (default auto; a software GPU only by name)
  -h, --help          this help`;

const options = {
  naming: { type: 'string' },
  texts: { type: 'string' },
  template: { type: 'string' },
  templates: { type: 'string' },
  cache: { type: 'string' },
  output: { type: 'string' },
  heads: { type: 'string' },
  act: { type: 'string' },
  format: { type: 'string' },
  'batch-size': { type: 'string' },
  backend: { type: 'string' },
} as const;

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0 ? 'no WEIGHTS file given.' : `expected one WEIGHTS file, got ${positionals.length}.`,
      );
    const naming = requiredOption(values.naming, '--naming');
    if (!isOneOf(TEXT_NAMINGS, naming))
      throw new UsageError(`unknown naming '${naming}' (expected ${TEXT_NAMINGS.join(', ')}).`);
    const format = values.format;
    if (format !== undefined && !isOneOf(WEIGHT_FORMATS, format))
      throw new UsageError(`unknown format '${format}' (expected ${WEIGHT_FORMATS.join(', ')}).`);
    const act = values.act;
    if (act !== undefined && act !== 'gelu' && act !== 'quick_gelu')
      throw new UsageError(`--act must be gelu or quick_gelu (got '${act}').`);
    const template = values.template;
    if (template !== undefined && values.templates !== undefined)
      throw new UsageError('give --template or --templates, not both.');
    const templates =
      values.templates === undefined
        ? undefined
        : isOneOf(templateSetNames, values.templates)
          ? templateSets[values.templates]
          : resolve(io.cwd, values.templates);
    try {
      const result = await embedTextFile({
        weights: resolve(io.cwd, positionals[0]!),
        naming,
        format,
        heads: positiveIntegerOption(values.heads, '--heads'),
        activation: act,
        texts: resolve(io.cwd, requiredOption(values.texts, '--texts')),
        template,
        templates,
        ...(values.cache === undefined ? {} : { cacheDir: textEmbeddingCacheDir(resolve(io.cwd, values.cache)) }),
        output: resolve(io.cwd, requiredOption(values.output, '--output')),
        batchSize: positiveIntegerOption(values['batch-size'], '--batch-size'),
        backend: values.backend ?? 'auto',
        native: nativeAddonSettingsFromEnv(process.env),
        onNote: (note) => io.stderr(`lpt embed-text: ${note}`),
      });
      io.stdout(
        `wrote ${values.output}: ${result.count} x ${result.config.embedDim} L2-normalised text embeddings ` +
          `(${describeTextConfig(result.config)}) in ${result.seconds.toFixed(2)} s on ${result.backend}`,
      );
      return ExitCode.ok;
    } catch (error) {
      if (
        isWeightsError(error) ||
        isTextInputError(error) ||
        error instanceof BackendError ||
        error instanceof GpuError
      ) {
        io.stderr(`lpt embed-text: ${error.message}`);
        return ExitCode.inputErrors;
      }
      throw error;
    }
  },
};
