/**
 * Registers tfjs-core's gradient functions. The package's Node entry (dist/tf-core.node.js)
 * registers no gradients, and its `dist/register_all_gradients` module cannot be imported by
 * Node's ESM loader (extensionless relative imports). We import the individual
 * `dist/gradients/*_grad.js` modules instead (tsx resolves their extensionless imports) and
 * register each exported GradConfig with the engine's global registry. The modules form a
 * second copy of tfjs-core's ops, which is harmless: the engine, the kernel and gradient
 * registries and the Tensor class are global singletons shared by every copy.
 * Prod_grad is skipped: it imports `../base`, whose `./gradients` import is ambiguous with the
 * `gradients/` folder. Nothing in this project differentiates through tf.prod.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

const SKIPPED = new Set(['Prod_grad.js']);

let registering: Promise<GradientReport> | undefined;

export interface GradientReport {
  readonly registered: number;
  readonly failed: readonly string[];
}

function gradientDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist', 'gradients');
}

function isGradConfig(value: unknown): value is tf.GradConfig {
  const v = value as Partial<tf.GradConfig> | null;
  return typeof v?.kernelName === 'string' && typeof v.gradFunc === 'function';
}

async function registerAll(): Promise<GradientReport> {
  const dir = gradientDir();
  const files = readdirSync(dir).filter((f) => f.endsWith('_grad.js') && !SKIPPED.has(f));
  const failed: string[] = [];
  let registered = 0;
  const modules = await Promise.all(
    files.map((f) =>
      import(pathToFileURL(path.join(dir, f)).href).catch((error: unknown) => {
        failed.push(`${f}: ${error instanceof Error ? error.message : String(error)}`);
        return {};
      }),
    ),
  );
  for (const module of modules) {
    for (const value of Object.values(module as Record<string, unknown>)) {
      // A backend package (tfjs-node) may already have registered its own copy; keep it.
      if (isGradConfig(value) && tf.getGradient(value.kernelName) === undefined) {
        tf.registerGradient(value);
        registered++;
      }
    }
  }
  return { registered, failed };
}

/** Idempotent; resolves once every gradient tfjs-core ships (but Prod's) is registered. */
export function ensureGradients(): Promise<GradientReport> {
  registering ??= registerAll();
  return registering;
}
