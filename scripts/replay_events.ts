/**
 * Replays a run's events through the renderers, to develop and document them without training:
 *   npx tsx scripts/replay_events.ts [EVENTS.jsonl] [--speed 20] [--plain | --json] [--variants VPT,LPT]
 * Without a file it replays a synthetic two-phase run (cli/render/synthetic_run.ts). Event gaps are
 * divided by --speed (and capped at 2 s). On a terminal it shows the Ink UI, where `q` behaves as
 * the runner will: the next step finishes, a checkpoint event and run_end { stopped: true } follow.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createJsonSink } from '../cli/render/json.ts';
import { parseEventLog, type TimedEvent } from '../cli/render/event_log.ts';
import { createPlainSink } from '../cli/render/plain.ts';
import { syntheticRunEvents } from '../cli/render/synthetic_run.ts';
import { createEventHub } from '../cli/ui/event_hub.ts';
import { renderRunUi } from '../cli/ui/render_run_ui.tsx';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    speed: { type: 'string', default: '20' },
    plain: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    variants: { type: 'string' },
  },
});

function loadEvents(): TimedEvent[] {
  const file = positionals[0];
  if (!file) return syntheticRunEvents(values.variants ? { variants: values.variants.split(',') } : {});
  const { events, badLines } = parseEventLog(readFileSync(file, 'utf8'));
  if (badLines.length > 0) process.stderr.write(`${file}: skipped unreadable lines ${badLines.join(', ')}\n`);
  return events;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const events = loadEvents();
  const speed = Number(values.speed) > 0 ? Number(values.speed) : 20;
  const useUi = process.stdout.isTTY && !values.plain && !values.json;
  const hub = createEventHub();
  let stopRequested = false;
  const ui = useUi
    ? renderRunUi({ subscribe: hub.subscribe, onStopRequested: () => (stopRequested = true) })
    : undefined;
  const sink = ui ? hub.sink : values.json ? createJsonSink(process.stdout) : createPlainSink(process.stdout);
  const first = events[0]?.time ?? Date.now();
  const offset = Date.now() - first;
  for (const [i, event] of events.entries()) {
    const gap = i === 0 ? 0 : (event.time - events[i - 1]!.time) / speed;
    await sleep(Math.min(2000, Math.max(0, gap)));
    sink({ ...event, time: event.time + offset });
    if (stopRequested && event.type === 'step') {
      const runStart = events.find((e) => e.type === 'run_start');
      const runDir = runStart?.type === 'run_start' ? runStart.runDir : 'runs/replay';
      const path = `${runDir}/checkpoints/${event.variant}/${event.phase}-e${event.epoch}-s${event.step}.safetensors`;
      sink({
        type: 'checkpoint',
        variant: event.variant,
        phase: event.phase,
        epoch: event.epoch,
        step: event.step,
        path,
        time: Date.now(),
      });
      sink({ type: 'run_end', runDir, seconds: (event.time - first) / 1000, stopped: true, time: Date.now() });
      break;
    }
  }
  await ui?.waitUntilExit();
}

// `replay_events.ts | head` closes the pipe early: end quietly rather than with an EPIPE trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

await main();
