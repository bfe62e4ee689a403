/**
 * The live run view: the only stateful component. It subscribes to run events, folds them with
 * the pure reducer in state.ts, and lays out the pure components. `q` or Ctrl-C asks the runner to
 * stop gracefully (onStopRequested); a second Ctrl-C calls onForceQuit. When run_end arrives it
 * shows how the run ended (and how to resume) and exits, so waitUntilExit() resolves.
 */
import { Box, Static, Text, useApp, useInput, useStdin } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import { stepPosition } from '../render/format.ts';
import type { Subscribe } from './event_hub.ts';
import { Header } from './header.tsx';
import { LogLine } from './log_line.tsx';
import { Losses } from './losses.tsx';
import { PhaseList } from './phase_list.tsx';
import { Progress } from './progress.tsx';
import { ShotTable } from './shot_table.tsx';
import { epochProgress, initialRunUiState, reduceRunUi, runEta, runFraction } from './state.ts';
import { StatusLine } from './status_line.tsx';

export interface AppProps {
  readonly subscribe: Subscribe;
  readonly onStopRequested: () => void;
  readonly onForceQuit?: () => void;
  /** Interrupts that arrive outside the keyboard (SIGINT when stdin is not a terminal). */
  readonly subscribeInterrupt?: (listener: () => void) => () => void;
  /** Wall clock, replaceable in tests. */
  readonly now?: () => number;
}

export function App({ subscribe, onStopRequested, onForceQuit, subscribeInterrupt, now = Date.now }: AppProps) {
  const [state, dispatch] = useReducer(reduceRunUi, initialRunUiState);
  const [clock, setClock] = useState(now);
  const startedAt = useRef(clock);
  const stopRequested = useRef(false);
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();

  useEffect(() => subscribe((event) => dispatch({ kind: 'event', event })), [subscribe]);

  useEffect(() => {
    const timer = setInterval(() => setClock(now()), 1000);
    return () => clearInterval(timer);
  }, [now]);

  const interrupt = (force: boolean) => {
    if (!stopRequested.current) {
      stopRequested.current = true;
      dispatch({ kind: 'stop_requested' });
      onStopRequested();
    } else if (force) {
      onForceQuit?.();
    }
  };
  const interruptRef = useRef(interrupt);
  interruptRef.current = interrupt;

  useEffect(() => subscribeInterrupt?.(() => interruptRef.current(true)), [subscribeInterrupt]);

  useInput(
    (input, key) => {
      if (input === 'q') interrupt(false);
      else if (key.ctrl && input === 'c') interrupt(true);
    },
    { isActive: isRawModeSupported === true && !state.end },
  );

  useEffect(() => {
    if (state.end) exit();
  }, [state.end, exit]);

  const { run, step } = state;
  const phase = step ? state.phases.find((p) => p.name === step.phase) : undefined;
  const epoch = epochProgress(state);
  const eta = runEta(state);
  const position = step ? stepPosition(step, phase?.epochs ?? NaN) : undefined;
  return (
    <>
      <Static items={[...state.log]}>{(item) => <LogLine key={item.id} item={item} />}</Static>
      <Box flexDirection="column" marginTop={1}>
        {run ? <Header run={run} data={state.data} /> : <Text dimColor>waiting for the run to start…</Text>}
        {run ? <PhaseList phases={state.phases} stopped={state.end?.stopped === true} /> : null}
        {step && position && !state.end ? (
          <Box flexDirection="column" marginTop={1}>
            <Progress
              rows={[
                {
                  label: 'epoch',
                  fraction: epoch.fraction,
                  position: `epoch ${position.epoch}/${position.epochs} · step ${position.step}/${position.steps}`,
                  etaSeconds: epoch.etaSeconds,
                },
                {
                  label: 'run',
                  fraction: runFraction(state),
                  position: step.runSteps
                    ? `step ${step.runStep}/${step.runSteps}`
                    : `phase ${state.phases.findIndex((p) => p.name === step.phase) + 1}/${state.phases.length}`,
                  etaSeconds: eta.seconds,
                  etaLabel: eta.scope === 'run' ? 'ETA' : 'phase ETA',
                },
              ]}
            />
            <Box marginTop={1}>
              <Losses step={step} history={state.lossHistory} />
            </Box>
          </Box>
        ) : null}
        {state.evaluation ? (
          <Box marginTop={1}>
            <ShotTable evaluation={state.evaluation} />
          </Box>
        ) : null}
        {state.checkpoint && !state.end ? <Text dimColor>last checkpoint: {state.checkpoint.path}</Text> : null}
        <Box marginTop={1}>
          <StatusLine
            end={state.end}
            stopRequested={state.stopRequested}
            elapsedSeconds={(clock - startedAt.current) / 1000}
            {...(state.checkpoint ? { checkpointPath: state.checkpoint.path } : {})}
          />
        </Box>
      </Box>
    </>
  );
}
