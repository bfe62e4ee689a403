/**
 * Model structure: the experiment's model is determined: a backbone, and either declared experts
 * or one backbone with one head (the implicit expert); modules say which backbone they sit on when
 * there are several; at most one scorer.
 */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const ModelStructureRule: Rule = (ctx) => ({
  Experiment() {
    if (ctx.model.partial) return;
    const at = ctx.model.nameNode.span;
    const backbones = ctx.index.declsOf('backbone');
    const declaredExperts = ctx.index.declsOf('expert');
    if (backbones.length === 0) ctx.report(Messages.ModelUndetermined, at, ['The experiment declares no backbone.']);
    if (declaredExperts.length === 0) {
      const heads = ctx.index.declsOf('head');
      if (backbones.length > 1)
        ctx.report(Messages.ModelUndetermined, at, [
          'Several backbones but no experts: declare each with expert(backbone: ..., modules: [...], head: ...).',
        ]);
      else if (heads.length === 0) ctx.report(Messages.ModelUndetermined, at, ['The experiment declares no head.']);
      else if (heads.length > 1)
        ctx.report(Messages.ModelUndetermined, heads[1]!.entry.name.span, [
          'Several heads but no experts: declare experts to say which head each uses.',
        ]);
    }
    const scorers = ctx.index.declsOf('scorer');
    if (scorers.length > 1)
      ctx.report(Messages.ModelUndetermined, scorers[1]!.entry.name.span, ['An experiment has at most one scorer.']);
  },
  Declaration(decl) {
    if (
      (decl.keyword === 'prompt' || decl.keyword === 'adapter') &&
      !decl.on &&
      ctx.index.declsOf('backbone').length > 1
    ) {
      ctx.report(Messages.ModelUndetermined, decl.entry.name.span, [
        `'${decl.name}' needs \`on BACKBONE\`: there are several backbones.`,
      ]);
    }
    if (decl.entry.on && decl.keyword !== 'prompt' && decl.keyword !== 'adapter') {
      ctx.report(Messages.ModelUndetermined, decl.entry.on.span, [
        `\`on\` attaches prompts and adapters to a backbone; a ${decl.keyword} takes none.`,
      ]);
    }
  },
});
