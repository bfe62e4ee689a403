/**
 * Backend selection. 'auto' tries tfjs-node-gpu, webgpu on a hardware adapter, tfjs-node, wasm,
 * cpu in that order and keeps the first that loads, recording why each earlier one was skipped
 * (webgpu on a software adapter only when asked for by name). An explicit preference (from
 * `--backend` or the plan) is honoured or fails with the reason: a silent fallback would make a
 * run that was meant for the GPU crawl on the cpu backend without anyone noticing.
 */
import type { BackendEnvironment } from './environment.ts';
import {
  BACKEND_ORDER,
  BACKEND_PACKAGES,
  BackendError,
  type BackendChoice,
  type BackendName,
  type BackendPreference,
  isBackendPreference,
  TF_BACKEND_NAMES,
} from './preference.ts';

export interface SelectBackendOptions {
  readonly preference: BackendPreference | string;
  /** Where the preference came from, for the report: '--backend', 'plan', 'default'. */
  readonly source?: string;
}

function loaded(name: BackendName, detail: string | undefined): string {
  return `${BACKEND_PACKAGES[name]} loaded${detail === undefined ? '' : ` (${detail})`}`;
}

export async function selectBackend(
  options: SelectBackendOptions,
  environment: BackendEnvironment,
): Promise<BackendChoice> {
  const { preference } = options;
  const source = options.source ?? 'default';
  if (!isBackendPreference(preference)) {
    throw new BackendError(preference, `unknown backend (expected one of auto, ${BACKEND_ORDER.join(', ')})`);
  }
  if (preference !== 'auto') {
    const outcome = await environment.activate(preference, { explicit: true });
    if (!outcome.ok) throw new BackendError(preference, `requested by ${source}, but ${outcome.problem}`);
    return {
      name: preference,
      tfName: TF_BACKEND_NAMES[preference],
      reason: `requested by ${source}; ${loaded(preference, outcome.detail)}`,
    };
  }
  const skipped: string[] = [];
  for (const name of BACKEND_ORDER) {
    const outcome = await environment.activate(name, { explicit: false });
    if (outcome.ok) {
      return { name, tfName: TF_BACKEND_NAMES[name], reason: [...skipped, loaded(name, outcome.detail)].join('; ') };
    }
    skipped.push(outcome.problem);
  }
  throw new BackendError('auto', `no backend could be loaded: ${skipped.join('; ')}`);
}
