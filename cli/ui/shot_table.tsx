/** The latest evaluation as a small shot-group table, with the boundaries it used. */
import { Box, Text } from 'ink';
import { evaluatedAfter, type EvaluationEvent } from '../../runtime/events.ts';
import { shotTableLines } from '../render/format.ts';

export function ShotTable({ evaluation }: { readonly evaluation: EvaluationEvent }) {
  const [names, values] = shotTableLines(evaluation.accuracy);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>accuracy</Text>
        <Text dimColor>
          {' '}
          on {evaluation.split} after {evaluatedAfter(evaluation)} (top-1 %)
        </Text>
      </Text>
      <Text dimColor> {names}</Text>
      <Text bold> {values}</Text>
      <Text dimColor> shot groups: {evaluation.boundaries}</Text>
    </Box>
  );
}
