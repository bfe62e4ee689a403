/**
 * The node_modules files the device check's stages load, for `scripts/gpu/device_check.sh prepare`
 * (which packs them): the packages of package.json's dependencies and of ava, with all of theirs,
 * resolved through package-lock.json as Node resolves them, less what Node never loads on Linux
 * x64: type declarations, source maps, docs, TypeScript sources, other platforms' binaries, the
 * esbuild CLI binary (tsx calls the platform package's), tfjs's browser bundles and ES modules
 * (Node loads each tfjs package's `dist/*.node.js`; only tfjs-core's ES modules are kept, for its
 * gradients), and sharp and resvg (loaded lazily). Prints one path a line.
 *   npx tsx scripts/gpu/pack_list.ts > files.txt
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Dev dependencies the stages run: the test runner. */
const STAGE_TOOLS = ['ava'];

const NEVER_LOADED = [
  /\.d\.[cm]?ts$/,
  /\.(map|md|markdown|tsbuildinfo)$/i,
  /(?<!\.d)\.tsx?$/,
  /^node_modules\/webgpu\/dist\/(?!linux-x64\/)[^/]+\//,
  /^node_modules\/@tensorflow\/[^/]+\/src\//,
  // tfjs-core's gradients are registered from its ES modules (runtime/backend/gradients.ts).
  /^node_modules\/@tensorflow\/(?!tfjs-core\/)[^/]+\/dist\/[^/]+\//,
  /^node_modules\/@tensorflow\/(?!tfjs-core\/)[^/]+\/dist\/[^/]+(?<!\.node)\.js$/,
  /^node_modules\/@tensorflow\/tfjs-core\/dist\/tf-core(\.es2017|\.fesm)?(\.min)?\.js$/,
  /^node_modules\/esbuild\/bin\//,
  // Loaded lazily, with a fallback, by no stage: image decoding (MNIST needs none) and PNG plots.
  /^node_modules\/(sharp|@img|@resvg)\//,
];

interface LockEntry {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

const lock = (JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> })
  .packages;
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };

/** Where Node finds `name` from inside the package at `from` ('' for the project): the nearest node_modules up. */
function resolvePackage(from: string, name: string): string | null {
  for (let dir = from; ;) {
    const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (candidate in lock) return candidate;
    if (dir === '') return null;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
}

function packageClosure(roots: readonly string[]): Set<string> {
  const found = new Set<string>();
  const pending = roots.map((name) => resolvePackage('', name));
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (path === null || found.has(path) || !existsSync(path)) continue; // optional ones of other platforms are absent
    found.add(path);
    const entry = lock[path]!;
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }))
      pending.push(resolvePackage(path, name));
  }
  return found;
}

/** A package's files, not those of the packages nested in its own node_modules (the closure lists those). */
function filesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesOf(path);
    return entry.isFile() ? [path] : [];
  });
}

const packages = packageClosure([...Object.keys(manifest.dependencies), ...STAGE_TOOLS]);
const files = [...packages].sort().flatMap(filesOf);
process.stdout.write(`${files.filter((f) => !NEVER_LOADED.some((rule) => rule.test(f))).join('\n')}\n`);
console.error(`pack_list: ${packages.size} packages`);
