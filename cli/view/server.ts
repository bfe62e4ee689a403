/**
 * `lpt view`'s web server (Node's http): the page, its assets, and a small JSON API over the run
 * directories found under the given folders. It serves nothing else: no path from a request is
 * ever opened, only ids of runs it found (discover_runs.ts) and the fixed asset names; requests
 * on loopback whose Host is not this server's are refused (DNS rebinding); and it never writes a file.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';
import { assets } from './assets.ts';
import { discoverRuns, type FoundRun } from './discover_runs.ts';
import { streamRun } from './event_stream.ts';
import { servedPage } from './page_html.ts';
import { reportModel } from './report_model.ts';
import { summarizeRun } from './run_summary.ts';
import { reportRuns } from '../commands/report_runs.ts';

export interface ViewServerOptions {
  /** Absolute folders to look for runs in. */
  readonly roots: readonly string[];
  readonly host: string;
  readonly port: number;
  /** Directory names in the page are shown relative to this. */
  readonly cwd: string;
}

export interface ViewServer {
  readonly url: string;
  close(): Promise<void>;
}

const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // uPlot sizes its elements with inline styles; everything else comes from this server.
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...securityHeaders });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

export function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  let known = new Map<string, FoundRun>();
  const rediscover = () => {
    const found = discoverRuns(options.roots);
    known = new Map(found.map((r) => [r.id, r]));
    return found;
  };
  const find = (id: string) => known.get(id) ?? (rediscover(), known.get(id));
  // Under the working directory as the user would type it; elsewhere absolute.
  const shown = (dir: string) => {
    const path = relative(options.cwd, dir);
    return path === '' ? '.' : path.startsWith('..') ? dir : path;
  };
  // On loopback only this machine's pages may call the API: a Host of another name is a page
  // elsewhere that resolved its name to 127.0.0.1 (DNS rebinding). `--host` exposes it on purpose.
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(options.host);
  const allowedHosts = new Set<string>();

  const routes: Record<string, (url: URL, req: IncomingMessage, res: ServerResponse) => void> = {
    '/': (_url, _req, res) => send(res, 200, 'text/html; charset=utf-8', servedPage()),
    '/api/runs': (_url, _req, res) =>
      json(res, 200, {
        roots: options.roots.map(shown),
        runs: rediscover().map((r) => ({ id: r.id, dir: shown(r.dir), ...summarizeRun(r.dir) })),
      }),
    '/api/report': (url, _req, res) => {
      const ids = url.searchParams.getAll('run');
      const runs = ids.map((id) => ({ id, run: find(id) }));
      const unknown = runs.filter((r) => r.run === undefined).map((r) => `no run '${r.id}' under the served folders`);
      if (ids.length === 0 || unknown.length > 0)
        return json(res, 404, { problems: ids.length ? unknown : ['no run named'] });
      const dirs = runs.map((r) => shown(r.run!.dir));
      const selected = reportRuns(dirs, options.cwd, url.searchParams.get('split') ?? undefined);
      if (!selected.ok) return json(res, 200, { problems: selected.problems });
      json(res, 200, reportModel(selected.runs, selected.otherSplits, options.cwd));
    },
    '/api/events': (url, req, res) => {
      const run = find(url.searchParams.get('run') ?? '');
      if (!run) return json(res, 404, { problems: ['no such run under the served folders'] });
      streamRun(run.dir, shown(run.dir), res, (stop) => req.on('close', stop));
    },
  };

  const server = createServer((req, res) => {
    if (loopback && !allowedHosts.has(req.headers.host ?? ''))
      return send(res, 421, 'text/plain', 'unexpected Host header\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'only GET\n');
    const url = new URL(req.url ?? '/', 'http://view');
    const route = routes[url.pathname];
    if (route) {
      try {
        return route(url, req, res);
      } catch (error) {
        return json(res, 500, { problems: [(error as Error).message] });
      }
    }
    const asset = url.pathname.startsWith('/assets/') ? assets[url.pathname.slice('/assets/'.length)] : undefined;
    if (asset) return send(res, 200, asset.contentType, readFileSync(asset.path));
    send(res, 404, 'text/plain', 'not found\n');
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      for (const name of [host, 'localhost', '127.0.0.1', '[::1]']) allowedHosts.add(`${name}:${port}`);
      resolve({
        url: `http://${host}:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
