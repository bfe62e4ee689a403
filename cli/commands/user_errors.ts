/**
 * Errors that are about the user's input or environment (a corrupt data file, a weights file that
 * does not fit, a backend that cannot load, a diverged run): printed as one clear message, never
 * a stack trace. Anything else is a bug and main reports it as an internal error.
 */
import { EventLogError } from '../render/event_log.ts';
import { BackendError } from '../../runtime/backend/preference.ts';
import { DataError } from '../../runtime/data/errors.ts';
import { ImageLoadingError } from '../../runtime/data/pipeline/decoder.ts';
import { ModelConfigError } from '../../runtime/model/errors.ts';
import { CheckpointError } from '../../runtime/run/checkpoint_store.ts';
import { MemoryError } from '../../runtime/run/micro_batch_choice.ts';
import { PlanNotSupportedError } from '../../runtime/run/model.ts';
import { DivergedError } from '../../runtime/train/step.ts';
import { SpeedSettingError } from '../../runtime/model/speed.ts';
import { RunDirectoryError } from '../../runtime/run/run_directory.ts';
import { RunLockedError } from '../../runtime/run/run_lock.ts';
import { TextInputError } from '../../runtime/text/text_inputs.ts';
import { WeightsError } from '../../runtime/weights/errors.ts';
import { QueueJobError, QueueLostError, QueueUnreachableError, QueueUrlError } from '../../runtime/queue/errors.ts';

const userErrors = [
  BackendError,
  CheckpointError,
  DataError,
  EventLogError,
  ImageLoadingError,
  ModelConfigError,
  PlanNotSupportedError,
  MemoryError,
  DivergedError,
  RunDirectoryError,
  RunLockedError,
  SpeedSettingError,
  TextInputError,
  WeightsError,
  QueueUrlError,
  QueueUnreachableError,
  QueueLostError,
  QueueJobError,
];

export function isUserError(e: unknown): e is Error {
  return userErrors.some((kind) => e instanceof kind);
}
