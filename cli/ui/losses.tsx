/** The current loss terms, each with a sparkline of its recent history, then lr and throughput. */
import { Box, Text } from 'ink';
import type { StepEvent } from '../../runtime/events.ts';
import { formatBytes, formatLoss, formatLr, orderedLosses } from '../render/format.ts';
import { sparkline } from './sparkline.ts';

export interface LossesProps {
  readonly step: StepEvent;
  readonly history: Readonly<Record<string, readonly number[]>>;
  readonly sparkWidth?: number;
}

export function Losses({ step, history, sparkWidth = 32 }: LossesProps) {
  const terms = orderedLosses(step.losses);
  const nameWidth = Math.max(6, ...terms.map(([name]) => name.length));
  return (
    <Box flexDirection="column">
      {terms.map(([name, value]) => (
        <Text key={name}>
          <Text dimColor>{name.padEnd(nameWidth)} </Text>
          <Text bold={name === 'total'}>{formatLoss(value).padStart(9)}</Text>
          <Text color="yellow"> {sparkline(history[name] ?? [], sparkWidth)}</Text>
        </Text>
      ))}
      <Text>
        <Text dimColor>lr </Text>
        {formatLr(step.lr)}
        <Text dimColor> · </Text>
        {step.imagesPerSecond.toFixed(1)}
        <Text dimColor> img/s</Text>
        <Text dimColor> · </Text>
        {step.tensors}
        <Text dimColor> tensors, </Text>
        {formatBytes(step.bytes)}
        {step.gpuBytes !== undefined && (
          <>
            <Text dimColor> · GPU </Text>
            {formatBytes(step.gpuBytes.live + step.gpuBytes.pooled)}
            <Text dimColor> ({formatBytes(step.gpuBytes.pooled)} pooled)</Text>
          </>
        )}
      </Text>
    </Box>
  );
}
