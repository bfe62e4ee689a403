/**
 * Text head source: a `text` head takes its class embeddings from a file (`embeddings`) or from
 * a CLIP text tower (`encoder`), not both and not neither; the encoder form needs the class
 * names and a checkpoint; a template ensemble (`templates`) belongs to the encoder form and
 * replaces `template`; every template has exactly one `{}` for the class name.
 */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';
import { isRef } from '../values.ts';

export const TextHeadSourceRule: Rule = (ctx) => ({
  Declaration(decl) {
    const call = decl.call;
    if (decl.keyword !== 'head' || call?.name !== 'text') return;
    const arg = (name: string) => call.args.get(name);
    const [embeddings, encoder, classes, classnames] = ['embeddings', 'encoder', 'classes', 'classnames'].map(arg);
    const name = call.node.callee.span;
    if (embeddings && encoder)
      ctx.report(Messages.TextHeadSource, encoder.node.value.span, [
        decl.name,
        'takes its embeddings from a file or from an encoder, not both',
      ]);
    else if (!embeddings && !encoder)
      ctx.report(Messages.TextHeadSource, name, [decl.name, 'needs `embeddings: FILE` or `encoder: BACKBONE`']);
    if (classes && classnames)
      ctx.report(Messages.TextHeadSource, classnames.node.value.span, [
        decl.name,
        'gives the class names twice (`classes` and its older spelling `classnames`)',
      ]);
    if (encoder && !embeddings && !classes && !classnames)
      ctx.report(Messages.TextHeadSource, encoder.node.value.span, [
        decl.name,
        'needs `classes: FILE` (one name per line, in label order) to encode the class names',
      ]);
    for (const other of ['encoder_weights', 'encoder_naming']) {
      const given = arg(other);
      if (given && !encoder)
        ctx.report(Messages.TextHeadSource, given.node.value.span, [
          decl.name,
          `uses \`${other}\` only with \`encoder\``,
        ]);
    }
    const [template, templates] = ['template', 'templates'].map(arg);
    if (templates && template)
      ctx.report(Messages.TextHeadSource, templates.node.value.span, [
        decl.name,
        'gives `template` and `templates`: one template, or an ensemble',
      ]);
    if (templates && embeddings)
      ctx.report(Messages.TextHeadSource, templates.node.value.span, [
        decl.name,
        'averages `templates` only with `encoder` (an embeddings file takes one `template`)',
      ]);
    const listed = templates?.node.value.kind === 'List' ? templates.node.value.items : [];
    for (const node of [template?.node.value, ...listed]) {
      if (node?.kind !== 'String') continue;
      const holes = node.value.split('{}').length - 1;
      if (holes !== 1) ctx.report(Messages.TextTemplateHole, node.span, [JSON.stringify(node.value), holes]);
    }
    if (encoder && isRef(encoder.value) && !arg('encoder_weights')) {
      const backbone = ctx.index.decl(encoder.value.name);
      if (backbone?.keyword === 'backbone' && backbone.call && !backbone.call.args.has('weights')) {
        ctx.report(Messages.TextEncoderWithoutWeights, encoder.node.value.span, [encoder.value.name]);
      }
    }
  },
});
