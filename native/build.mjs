#!/usr/bin/env node
/**
 * Builds the optional native addon (native/binding.gyp -> native/build/Release/lpt_native.node)
 * with node-gyp, for `npm install` / `npm ci`. It never fails the install: when the build or the
 * load check fails (no compiler, no Node headers and no network to fetch them, ...), it removes
 * the partial build, prints one line saying so, and the runtime keeps to its JavaScript/wasm
 * kernels. LPT_NATIVE_BUILD=skip skips it. Node headers are taken from the running Node's own
 * install (<prefix>/include/node) when present, so no download is needed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const say = (line) => process.stdout.write(`lpt native: ${line}\n`);

function findNodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a dependency; try npm's bundled copy below
  }
  const prefix = path.dirname(path.dirname(process.execPath));
  candidates.push(
    path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  );
  return candidates.find((c) => c && existsSync(c));
}

/** Loads the built addon in a child process and prints what it reports (status 0 when it loads). */
function loadCheck() {
  return spawnSync(
    process.execPath,
    ['-e', "const a = require('./build/Release/lpt_native.node'); console.log(JSON.stringify(a.info()))"],
    { cwd: here, encoding: 'utf8', timeout: 60_000 },
  );
}

/**
 * An addon built from the current sources that loads in this Node is kept: `npx lpt` in a checkout
 * runs the install script again, and a rebuild there would cost minutes (and on failure remove a
 * working addon).
 */
function upToDate() {
  const addon = path.join(here, 'build', 'Release', 'lpt_native.node');
  if (!existsSync(addon)) return false;
  const sources = ['binding.gyp', ...readdirSync(path.join(here, 'src')).map((f) => path.join('src', f))];
  const built = statSync(addon).mtimeMs;
  return sources.every((f) => statSync(path.join(here, f)).mtimeMs <= built) && loadCheck().status === 0;
}

function build() {
  if (process.env.LPT_NATIVE_BUILD === 'skip')
    return say('skipped (LPT_NATIVE_BUILD=skip); using the JavaScript kernels');
  if (upToDate()) return say('already built from the current sources; kept');
  const gyp = findNodeGyp();
  if (gyp === undefined) return say('node-gyp not found; using the JavaScript kernels');
  const prefix = path.dirname(path.dirname(process.execPath));
  const local = existsSync(path.join(prefix, 'include', 'node', 'node_api.h'));
  const args = [gyp, 'rebuild', ...(local ? [`--nodedir=${prefix}`] : [])];
  const run = spawnSync(process.execPath, args, { cwd: here, encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) {
    rmSync(path.join(here, 'build'), { recursive: true, force: true });
    const reason =
      `${run.error?.message ?? ''}${run.stderr ?? ''}`
        .trim()
        .split('\n')
        .filter((l) => /error/i.test(l))
        .slice(-1)[0] ?? `exit ${run.status}`;
    return say(`build failed (${reason.trim()}); using the JavaScript kernels`);
  }
  const check = loadCheck();
  if (check.status !== 0) {
    rmSync(path.join(here, 'build'), { recursive: true, force: true });
    return say(`built but does not load (${(check.stderr ?? '').trim().split('\n')[0]}); using the JavaScript kernels`);
  }
  const info = JSON.parse(check.stdout);
  say(`built; matrix multiply on ${info.blas}`);
}

build();
