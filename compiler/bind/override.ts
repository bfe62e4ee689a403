/**
 * Applies one override (`group.top = 3`, `one.epochs = 5`, `one.optim.lr = 0.01`,
 * `data.train = ...`, `seed = 1`, or a `vary` item) to a model draft. Argument overrides rebuild
 * the call with the new argument, whose span is the override's, so later diagnostics point at it.
 */
import type { Argument, Call, Expression, Identifier, NameRef, Property } from '../ast.ts';
import type { DiagnosticBag } from '../../diagnostics/diagnose.ts';
import { Messages } from '../../diagnostics/messages.ts';
import { callSpec } from '../spec/index.ts';
import { keywordIn, keywordsIn } from '../spec/keywords.ts';
import { didYouMean } from '../suggest.ts';
import type { Override } from './layer.ts';
import type { ModelDraft } from './model.ts';

const settingNames = ['seed', 'backend', 'classes', 'out'];

export function applyOverride(draft: ModelDraft, override: Override, bag: Pick<DiagnosticBag, 'report'>): void {
  const parts = override.target.parts;
  const [head, second, third, ...rest] = parts;
  if (!head) return;
  // The caret goes under the part at fault (`epoch` of `one.epoch`) when one part is.
  const fail = (why: string, hint = '', at: Identifier | NameRef = override.target): void =>
    bag.report(Messages.UnknownOverrideTarget, at.span, [parts.map((p) => p.name).join('.'), why, hint]);
  const decl = draft.decls.get(head.name);
  const phase = draft.phases.get(head.name);

  if (decl) {
    if (!second) {
      draft.decls.set(head.name, { ...decl, value: override.value });
      return;
    }
    if (third) return fail(`only one argument level: write ${head.name}.${second.name}.`);
    const family = keywordIn('experiment', decl.keyword.name)?.value;
    const call = withArgument(decl.value, second, override, family?.kind === 'call' ? family.family : undefined);
    if (!call) return fail(`'${head.name}' is not a call.`);
    draft.decls.set(head.name, { ...decl, value: call });
    return;
  }
  if (phase) {
    if (!second) return fail(`'${head.name}' is a phase; name one of its settings, e.g. ${head.name}.epochs.`);
    const spec = keywordIn('phase', second.name);
    if (!spec)
      return fail(`phases have no setting '${second.name}'.`, didYouMean(second.name, keywordsIn('phase')), second);
    const props = new Map(phase.props);
    const existing = props.get(second.name);
    if (third) {
      const family = spec.value?.kind === 'call' ? spec.value.family : undefined;
      // Without the property, change the call the phase would get: the one it inherits from its
      // `after` chain (`two.optim.lr` keeps phase one's momentum and weight decay), else the
      // default call (`one.optim.lr` when phase one uses the default sgd).
      const fallback = family && spec.default && 'value' in spec.default ? (spec.default.value as string) : undefined;
      const inherited = spec.inherited ? inheritedValue(draft, head.name, second.name) : undefined;
      const base = existing?.values[0] ?? inherited ?? (fallback ? nameRef(fallback, second) : undefined);
      const call = base && withArgument(base, third, override, family);
      if (!call || rest.length > 0) return fail(`phase '${head.name}' has no ${second.name} call to change.`);
      props.set(second.name, {
        kind: 'Property',
        keyword: existing?.keyword ?? second,
        values: [call],
        span: existing?.span ?? override.span,
      });
    } else {
      const values = override.value.kind === 'List' && spec.multiple ? override.value.items : [override.value];
      props.set(second.name, { kind: 'Property', keyword: second, values, span: override.span });
    }
    draft.phases.set(head.name, { ...phase, props });
    return;
  }
  if (head.name === 'data' && second && !third) {
    draft.splits.set(second.name, {
      name: second,
      value: override.value,
      node: { kind: 'Assignment', target: override.target, value: override.value, span: override.span },
    });
    return;
  }
  if (head.name === 'data' && second && third) {
    const split = draft.splits.get(second.name);
    if (!split)
      return fail(`there is no split '${second.name}'.`, didYouMean(second.name, draft.splits.keys()), second);
    const stages = split.value.kind === 'Pipe' ? split.value.stages : [split.value];
    const index = stages.findIndex(
      (s) => (s.kind === 'Call' ? s.callee : s).kind === 'NameRef' && calleeName(s) === third.name,
    );
    const [argName, ...tail] = rest;
    if (index < 0 || !argName || tail.length > 0)
      return fail(
        `write data.${second.name}.STAGE.ARGUMENT with a stage of the pipeline.`,
        didYouMean(third.name, stages.map(calleeName)),
      );
    const call = withArgument(stages[index]!, argName, override, ['source', 'subsample', 'transform']);
    if (!call) return fail(`stage '${third.name}' is not a call.`);
    const replaced = stages.map((s, i) => (i === index ? call : s));
    const value = split.value.kind === 'Pipe' ? { ...split.value, stages: replaced } : call;
    draft.splits.set(second.name, { ...split, value });
    return;
  }
  if (!second && settingNames.includes(head.name)) {
    const property: Property = { kind: 'Property', keyword: head, values: [override.value], span: override.span };
    draft.settings.set(head.name, property);
    return;
  }
  const candidates = [...draft.decls.keys(), ...draft.phases.keys(), ...settingNames, 'data'];
  fail(`there is no module, phase or setting named '${head.name}'.`, didYouMean(head.name, candidates), head);
}

/** The value of `setting` in the nearest phase up the `after` chain of `phaseName` that sets it (as the checker inherits). */
function inheritedValue(draft: ModelDraft, phaseName: string, setting: string): Expression | undefined {
  const seen = new Set([phaseName]);
  let parentRef = draft.phases.get(phaseName)?.after[0];
  while (parentRef) {
    const parentName = parentRef.parts.map((p) => p.name).join('.');
    if (seen.has(parentName)) return undefined;
    seen.add(parentName);
    const parent = draft.phases.get(parentName);
    const value = parent?.props.get(setting)?.values[0];
    if (!parent || value) return value;
    parentRef = parent.after[0];
  }
  return undefined;
}

function nameRef(name: string, at: Identifier): NameRef {
  return { kind: 'NameRef', parts: [{ kind: 'Identifier', name, span: at.span }], span: at.span };
}

function calleeName(e: Expression): string {
  const ref = e.kind === 'Call' ? e.callee : e.kind === 'NameRef' ? e : undefined;
  return ref ? ref.parts.map((p) => p.name).join('.') : '';
}

/** The call `value` with argument `name` set to the override's value (positional arguments count). */
function withArgument(
  value: Expression,
  name: Identifier,
  override: Override,
  family: Parameters<typeof callSpec>[0] | undefined,
): Call | undefined {
  const call: Call | undefined =
    value.kind === 'Call'
      ? value
      : value.kind === 'NameRef'
        ? { kind: 'Call', callee: value, args: [], span: value.span }
        : undefined;
  if (!call) return undefined;
  const spec = family ? callSpec(family, call.callee.parts.map((p) => p.name).join('.')) : undefined;
  const argument: Argument = { kind: 'Argument', name, value: override.value, span: override.span };
  const index = call.args.findIndex((a, i) => (a.name ? a.name.name === name.name : spec?.args[i]?.name === name.name));
  const args = index < 0 ? [...call.args, argument] : call.args.map((a, i) => (i === index ? argument : a));
  return { ...call, args };
}
