/**
 * A run's live state in the page, reduced from its events as they stream in: per variant its
 * phases and progress, the points of its curves, its evaluations; the run's warnings and errors.
 */
(() => {
  'use strict';

  const lpt = (globalThis.lpt ??= {});
  const { bytes } = lpt.dom;

  /** One variant's live state, built from its events. */
  function newVariant(name) {
    return {
      name,
      start: null,
      phases: new Map(),
      steps: [],
      terms: [],
      lr: [],
      ips: [],
      memory: [],
      gpu: [],
      evaluations: [],
    };
  }

  function reduce(state, e) {
    const variantOf = (name) => {
      if (!state.variants.has(name)) state.variants.set(name, newVariant(name));
      return state.variants.get(name);
    };
    switch (e.type) {
      case 'run_start': {
        const v = variantOf(e.variant);
        v.start = e;
        for (const phase of e.phases)
          if (!v.phases.has(phase))
            v.phases.set(phase, { name: phase, done: e.reused?.phases.includes(phase) ?? false, stepsDone: 0 });
        state.current = e.variant;
        state.ended = null;
        break;
      }
      case 'phase_start': {
        const v = variantOf(e.variant);
        const phase = v.phases.get(e.phase) ?? { name: e.phase, done: false, stepsDone: 0 };
        v.phases.set(e.phase, { ...phase, total: e.epochs * e.stepsPerEpoch, epochs: e.epochs });
        state.current = e.variant;
        break;
      }
      case 'step': {
        const v = variantOf(e.variant);
        const phase = v.phases.get(e.phase) ?? { name: e.phase, done: false };
        v.phases.set(e.phase, { ...phase, stepsDone: e.epoch * e.stepsPerEpoch + e.step + 1, epoch: e.epoch });
        const x = e.runStep ?? v.steps.length + 1;
        while (v.steps.length > 0 && v.steps[v.steps.length - 1] >= x) {
          v.steps.pop();
          v.terms.pop();
          v.lr.pop();
          v.ips.pop();
          v.memory.pop();
          v.gpu.pop();
        }
        v.steps.push(x);
        v.terms.push(e.losses);
        v.lr.push(e.lr);
        v.ips.push(e.imagesPerSecond);
        v.memory.push(bytes(e.bytes));
        v.gpu.push(e.gpuBytes ? bytes(e.gpuBytes.live + e.gpuBytes.pooled) : null);
        state.current = e.variant;
        break;
      }
      case 'phase_end': {
        const v = variantOf(e.variant);
        const phase = v.phases.get(e.phase) ?? { name: e.phase };
        v.phases.set(e.phase, { ...phase, done: true, seconds: e.seconds });
        break;
      }
      case 'evaluation':
        variantOf(e.variant).evaluations.push(e);
        state.evaluations.push(e);
        break;
      case 'warning':
      case 'error':
        state.messages.push(e);
        break;
      case 'run_end':
        state.ended = e;
        break;
    }
    state.count++;
  }

  lpt.runState = { reduce };
})();
