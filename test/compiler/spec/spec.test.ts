/** The spec is self-consistent: defaults satisfy their own types, examples check, names are unique. */
import test from 'ava';
import type { Expression } from '../../../compiler/ast.ts';
import { Coercer } from '../../../compiler/check/coerce.ts';
import { parseFile } from '../../../compiler/parse_file.ts';
import { callSpecs } from '../../../compiler/spec/index.ts';
import { keywordSpecs } from '../../../compiler/spec/keywords.ts';
import { compileText } from '../../helpers/compile_source.ts';

const at = { file: 'spec', start: 0, end: 0 };

function literal(v: unknown, asName: boolean): Expression {
  if (Array.isArray(v)) return { kind: 'List', items: v.map((x) => literal(x, asName)), span: at };
  if (typeof v === 'number') return { kind: 'Number', value: v, raw: String(v), span: at };
  if (typeof v === 'boolean' || asName)
    return { kind: 'NameRef', parts: [{ kind: 'Identifier', name: String(v), span: at }], span: at };
  return { kind: 'String', value: String(v), span: at };
}

test('every literal default satisfies its argument type', (t) => {
  for (const spec of callSpecs) {
    for (const arg of spec.args) {
      if (!arg.default || !('value' in arg.default)) continue;
      const asName = ['enum', 'layers', 'ref', 'oneOf'].includes(arg.type.kind);
      const coercer = new Coercer();
      coercer.coerce(literal(arg.default.value, asName), arg.type, arg.name);
      t.deepEqual(
        coercer.issues.map((i) => i.message.text),
        [],
        `${spec.name}.${arg.name}`,
      );
      t.not(arg.required, true, `${spec.name}.${arg.name} is required and has a default`);
    }
  }
});

test('every call example parses and checks against its own spec', (t) => {
  for (const spec of callSpecs) {
    const parsed = parseFile('example.lpt', `x ${spec.example}`);
    t.deepEqual(
      parsed.diagnostics.map((d) => d.message),
      [],
      spec.example,
    );
    const statement = parsed.ast.statements[0];
    const value = statement?.kind === 'Property' ? statement.values[0] : undefined;
    t.truthy(value, spec.example);
    const coercer = new Coercer();
    if (spec.family === 'loss') coercer.coerce(value!, { kind: 'loss' }, 'loss');
    else coercer.call(value!, spec.family);
    t.deepEqual(
      coercer.issues.map((i) => i.message.text),
      [],
      spec.example,
    );
  }
});

test('call names are unique within a family and argument names within a call', (t) => {
  const keys = callSpecs.map((s) => `${s.family}:${s.name}`);
  t.is(new Set(keys).size, keys.length);
  for (const spec of callSpecs) t.is(new Set(spec.args.map((a) => a.name)).size, spec.args.length, spec.name);
});

test('phase and evaluate keyword examples are valid in their block', (t) => {
  for (const k of keywordSpecs.filter((k) => k.contexts.includes('phase') || k.contexts.includes('evaluate'))) {
    const block = k.contexts.includes('phase')
      ? // The phase trains the pool: a matching loss (`loss agcl - 0.5 * matching`) needs it active (5001 otherwise).
        `phase two after one { train group, cls; ${k.name === 'train' ? '' : k.example} }`
      : `evaluate test { ${k.example} }`;
    const result = compileText(
      `import "base.lpt"\nexperiment x extends base {\n  prompt group = pool(size: 20, query: shared)\n  ${block}\n}`,
    );
    const errors = result.diagnostics.filter((d) => d.severity === 'error' && d.code !== 2009 && d.code !== 2010);
    t.deepEqual(
      errors.map((d) => `${d.code} ${d.message}`),
      [],
      k.example,
    );
  }
});
