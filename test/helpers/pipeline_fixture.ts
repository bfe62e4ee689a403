/**
 * torchvision's PIL pipelines on two small images (scripts/fixtures/make_pipeline_fixtures.py):
 * the fixture's cases and the same pipelines as lpt transform lists.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TransformSpec } from '../../runtime/data/transforms.ts';

export const PIPELINE_FIXTURE_DIR = fileURLToPath(new URL('../fixtures/data/pipeline/', import.meta.url));

export interface PipelineCase {
  readonly image: string;
  readonly pipeline: string;
  /** [C, H, W] */
  readonly shape: [number, number, number];
  /** The bytes torchvision's ToTensor sees, [C, H, W]. */
  readonly bytes: number[];
}

export const pipelineCases = (
  JSON.parse(readFileSync(path.join(PIPELINE_FIXTURE_DIR, 'pipeline.json'), 'utf8')) as { cases: PipelineCase[] }
).cases;

export const PIPELINES: Record<string, TransformSpec[]> = {
  resize32_center28: [
    { kind: 'resize', size: 32 },
    { kind: 'centerCrop', size: 28 },
  ],
  center30x40_resize24: [
    { kind: 'centerCrop', size: [30, 40] },
    { kind: 'resize', size: [24, 24] },
  ],
  center20x16_resize36: [
    { kind: 'centerCrop', size: [20, 16] },
    { kind: 'resize', size: [36, 36] },
  ],
  center40x20_resize24x30: [
    { kind: 'centerCrop', size: [40, 20] },
    { kind: 'resize', size: [24, 30] },
  ],
  resize48x48: [{ kind: 'resize', size: [48, 48] }],
};
