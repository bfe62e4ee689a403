/** The bottom line: the key hint, the stop in progress, or how the run ended (and how to resume). */
import { Box, Text } from 'ink';
import type { RunEndEvent } from '../../runtime/events.ts';
import { formatDuration } from '../render/format.ts';
import { resumeHint } from '../render/plain.ts';

export interface StatusLineProps {
  readonly end?: RunEndEvent;
  readonly stopRequested: boolean;
  readonly elapsedSeconds: number;
  readonly checkpointPath?: string;
}

export function StatusLine({ end, stopRequested, elapsedSeconds, checkpointPath }: StatusLineProps) {
  if (end?.stopped) {
    return (
      <Box flexDirection="column">
        <Text>
          <Text color="yellow" bold>
            ■ stopped
          </Text>
          <Text dimColor>
            {' '}
            after {formatDuration(end.seconds)}
            {checkpointPath ? ` · checkpoint ${checkpointPath}` : ''}
          </Text>
        </Text>
        <Text>
          <Text dimColor> resume with: </Text>
          <Text bold>{resumeHint(end.runDir)}</Text>
        </Text>
      </Box>
    );
  }
  if (end) {
    return (
      <Text>
        <Text color="green" bold>
          ✔ finished
        </Text>
        <Text dimColor>
          {' '}
          in {formatDuration(end.seconds)} · results in {end.runDir}/results.json · table:{' '}
        </Text>
        <Text bold>npx lpt report {end.runDir}</Text>
      </Text>
    );
  }
  if (stopRequested) {
    return (
      <Text color="yellow">
        stopping: finishing the current step and writing a checkpoint… (Ctrl-C again to quit at once)
      </Text>
    );
  }
  return (
    <Text dimColor>
      elapsed {formatDuration(elapsedSeconds)} · press{' '}
      <Text bold color="white">
        q
      </Text>{' '}
      to stop (finishes the step, writes a checkpoint, resumable)
    </Text>
  );
}
