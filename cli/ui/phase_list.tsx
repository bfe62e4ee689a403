/** The current variant's phases on one line, each with its status (✔ done, ▶ running, ■ stopped, · pending). */
import { Box, Text } from 'ink';
import { formatDuration } from '../render/format.ts';
import type { PhaseView } from './state.ts';

function PhaseBadge({ phase, stopped }: { readonly phase: PhaseView; readonly stopped: boolean }) {
  if (phase.status === 'done') {
    return (
      <Text color="green">
        ✔ {phase.name} <Text dimColor>{formatDuration(phase.seconds ?? NaN)}</Text>
      </Text>
    );
  }
  if (phase.status === 'running' && stopped) return <Text color="yellow">■ {phase.name} (stopped)</Text>;
  if (phase.status === 'running')
    return (
      <Text color="cyan" bold>
        ▶ {phase.name}
      </Text>
    );
  return <Text dimColor>· {phase.name}</Text>;
}

export function PhaseList({
  phases,
  stopped = false,
}: {
  readonly phases: readonly PhaseView[];
  readonly stopped?: boolean;
}) {
  return (
    <Box gap={3}>
      <Text dimColor>phases</Text>
      {phases.map((phase) => (
        <PhaseBadge key={phase.name} phase={phase} stopped={stopped} />
      ))}
    </Box>
  );
}
