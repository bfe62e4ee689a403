// The child process of adapter_probe.ts: loads Dawn with the switches given as arguments, asks
// for an adapter the way tfjs-backend-webgpu does, and prints what it found as one JSON line.
// Plain JavaScript so that Node starts it without the TypeScript loader. Whatever Dawn writes to
// stderr here goes to the parent, which shows it only when the probe fails.

function failure(stage, error) {
  const code = typeof error?.code === 'string' ? error.code : undefined;
  return { stage, error: { code, message: error instanceof Error ? error.message : String(error) } };
}

async function probe(dawnFlags) {
  let dawn;
  try {
    dawn = await import('webgpu');
  } catch (error) {
    return failure('load', error);
  }
  let adapter;
  try {
    adapter = await dawn.create(dawnFlags).requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return failure('start', error);
  }
  if (adapter === null) return { stage: 'adapter', adapter: null };
  // The info's fields are getters on its prototype, which JSON.stringify would not see.
  const { vendor, architecture, device, description, isFallbackAdapter } = adapter.info ?? {};
  return {
    stage: 'adapter',
    adapter: {
      info: { vendor, architecture, device, description, isFallbackAdapter },
      isFallbackAdapter: adapter.isFallbackAdapter === true,
    },
  };
}

const report = await probe(process.argv.slice(2));
// Exit at once: Dawn's instance would otherwise keep the process alive a while.
process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0));
