/** The epoch and whole-run progress bars with position, percentage and ETA. */
import { Box, Text } from 'ink';
import { formatDuration } from '../render/format.ts';
import { bar } from './sparkline.ts';

export interface ProgressRowProps {
  readonly label: string;
  readonly fraction: number;
  readonly position: string;
  readonly etaSeconds: number;
  /** What the ETA covers when it is not the bar's own span ("phase ETA"). */
  readonly etaLabel?: string;
  readonly width?: number;
}

export function ProgressRow({ label, fraction, position, etaSeconds, etaLabel = 'ETA', width = 32 }: ProgressRowProps) {
  return (
    <Text>
      <Text dimColor>{label.padEnd(6)}</Text>
      <Text color="cyan">{bar(fraction, width)}</Text>
      <Text> {`${Math.floor(100 * Math.min(1, Math.max(0, fraction)))}%`.padStart(4)} </Text>
      <Text>{position.padEnd(24)} </Text>
      <Text dimColor>{etaLabel} </Text>
      <Text>{formatDuration(etaSeconds)}</Text>
    </Text>
  );
}

export function Progress({ rows }: { readonly rows: readonly ProgressRowProps[] }) {
  return (
    <Box flexDirection="column">
      {rows.map((row) => (
        <ProgressRow key={row.label} {...row} />
      ))}
    </Box>
  );
}
