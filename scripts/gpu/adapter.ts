/**
 * The device check's first stage: the WebGPU adapter Dawn picks when tfjs asks for one, and its
 * limits (the storage-binding and buffer sizes bound the batch; docs/GPU.md). Exits 1 without an
 * adapter and 2 on a software one (lavapipe, SwiftShader) unless given --software.
 *   node --import tsx scripts/gpu/adapter.ts [--software]
 */
import { describeAdapter } from '../../runtime/backend/webgpu.ts';

interface Adapter {
  readonly info: Record<string, unknown>;
  readonly isFallbackAdapter?: boolean;
  readonly limits: Record<string, number>;
}
const { create } = (await import('webgpu')) as unknown as {
  create(flags: string[]): { requestAdapter(options: object): Promise<Adapter | null> };
};

const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
if (adapter === null) {
  console.log('no WebGPU adapter');
  process.exit(1);
}
const described = describeAdapter(adapter.info, adapter.isFallbackAdapter === true);
console.log(`adapter: ${described.description}${described.software ? ' (software)' : ''}`);
// The limits are getters on the prototype: list them by name.
for (const name in adapter.limits) console.log(`  ${name.padEnd(44)} ${adapter.limits[name]!.toLocaleString('en-US')}`);
if (described.software && !process.argv.includes('--software')) {
  console.log('a software adapter: pass --software to accept it');
  process.exit(2);
}
process.exit(0);
