/**
 * Spec of the evaluation and budget calls: shot-group boundaries (`shots(many: >100, few: <=20)`)
 * and trainable-parameter budget assertions (`budget(trainable: <=1.1M, share: <=1.5%)`).
 */
import { derived, type CallSpec } from './types.ts';

export const shotsSpecs = [
  {
    name: 'shots',
    family: 'shots',
    doc: 'Shot groups by training images per class: many, medium (the rest) and few. Printed with every table.',
    example: 'shots(many: >100, few: <=20)',
    args: [
      {
        name: 'many',
        type: { kind: 'bound', ops: ['>', '>='] },
        default: derived('>100'),
        doc: 'Classes with more training images are many-shot.',
      },
      {
        name: 'few',
        type: { kind: 'bound', ops: ['<', '<='] },
        default: derived('<=20 (the authors put exactly 20 in few)'),
        doc: 'Classes with fewer training images are few-shot.',
      },
    ],
  },
] as const satisfies readonly CallSpec[];

export const budgetSpecs = [
  {
    name: 'budget',
    family: 'budget',
    doc: 'Assertions on the compiled budget; a broken one is an error.',
    example: 'budget(trainable: <=1.1M, share: <=1.5%)',
    args: [
      {
        name: 'trainable',
        type: { kind: 'limit', percent: false },
        doc: 'Trainable parameters of all phases, heads included.',
      },
      {
        name: 'share',
        type: { kind: 'limit', percent: true },
        doc: 'Trainable parameters as a percentage of the backbone parameters.',
      },
      { name: 'prompts', type: { kind: 'limit', percent: false }, doc: 'Prompt, pool and key parameters.' },
      { name: 'flops', type: { kind: 'limit', percent: false }, doc: 'Inference FLOPs per image.' },
    ],
  },
] as const satisfies readonly CallSpec[];

export const defaultShots = { many: { op: '>', value: 100 }, few: { op: '<=', value: 20 } } as const;
