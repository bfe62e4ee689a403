/** The run header: experiment / variant, backend and why, image decoder, trainable share, data and shot counts, each phase's micro-batch and why; LPT++'s experts, scorer and evaluated model. */
import { Box, Text } from 'ink';
import type { DataPipelineEvent, RunStartEvent } from '../../runtime/events.ts';
import { formatMicroBatch, formatParams, formatShare } from '../../runtime/report/format.ts';

export function Header({ run, data }: { readonly run: RunStartEvent; readonly data?: DataPipelineEvent | undefined }) {
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{run.experiment}</Text>
        <Text dimColor> / </Text>
        <Text bold color="cyan">
          {run.variant}
        </Text>
        <Text dimColor> backend </Text>
        <Text>{run.backend}</Text>
        <Text dimColor> ({run.backendReason})</Text>
      </Text>
      {data ? (
        <Text>
          <Text dimColor>images </Text>
          <Text>{data.decoder}</Text>
          <Text dimColor>
            {' '}
            ({data.decoderReason}) · {data.workers} worker process{data.workers === 1 ? '' : 'es'}
          </Text>
        </Text>
      ) : null}
      <Text>
        <Text dimColor>trainable </Text>
        <Text bold>{formatParams(run.trainableParams)}</Text>
        <Text dimColor> params = </Text>
        <Text bold>{formatShare(run.trainableParams, run.backboneParams)}</Text>
        <Text dimColor>
          {' '}
          of the {formatParams(run.backboneParams)} backbone · train {run.trainImages} / test {run.testImages} images ·
          classes{' '}
        </Text>
        <Text>
          many {run.shots.many} · medium {run.shots.medium} · few {run.shots.few}
        </Text>
        {run.resumedFrom ? <Text color="magenta"> · resumed from {run.resumedFrom}</Text> : null}
        {run.reused ? (
          <Text color="magenta">
            {' '}
            · phases {run.reused.phases.join(', ')} reused from {run.reused.from}
          </Text>
        ) : null}
      </Text>
      {(run.microBatches ?? []).map((c) => (
        <Text key={c.phase} dimColor>
          {formatMicroBatch(c)}
        </Text>
      ))}
      {run.experts ? (
        <Text>
          <Text dimColor>experts </Text>
          <Text>{run.experts.join(', ')}</Text>
          {run.scorer ? <Text dimColor> · scorer </Text> : null}
          {run.scorer ? <Text>{run.scorer}</Text> : null}
          <Text dimColor> · evaluates </Text>
          <Text bold>{run.model}</Text>
        </Text>
      ) : null}
    </Box>
  );
}
