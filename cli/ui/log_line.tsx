/** One permanent line above the live panel: a finished phase, an evaluation, a warning, an error. */
import { Text } from 'ink';
import { formatAccuracy } from '../../runtime/report/format.ts';
import { formatDuration } from '../render/format.ts';
import type { LogItem } from './state.ts';

export function LogLine({ item }: { readonly item: LogItem }) {
  switch (item.kind) {
    case 'phase':
      return (
        <Text>
          <Text color="green">✔ </Text>
          <Text>
            {item.variant}/{item.phase}
          </Text>
          <Text dimColor>
            {' '}
            {item.epochs} epochs in {formatDuration(item.seconds)}
          </Text>
        </Text>
      );
    case 'evaluation': {
      const { accuracy, split, model } = item.evaluation;
      return (
        <Text>
          <Text dimColor>
            {' '}
            {split}
            {model ? ` (${model})` : ''}:{' '}
          </Text>
          <Text>
            overall {formatAccuracy(accuracy.overall)} · many {formatAccuracy(accuracy.many)} · medium{' '}
            {formatAccuracy(accuracy.medium)} · few {formatAccuracy(accuracy.few)}
          </Text>
        </Text>
      );
    }
    case 'warning':
      return <Text color="yellow">⚠ {item.message}</Text>;
    case 'error':
      return <Text color="red">✖ {item.message}</Text>;
  }
}
