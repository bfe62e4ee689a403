/**
 * The CLI tells user errors (one clear message, exit 1) from bugs (internal error) by the base
 * class alone: a new UserError subclass needs no list, and a plain Error stays a bug.
 */
import test from 'ava';
import { isUserError } from '../../../cli/commands/user_errors.ts';
import { EventLogError } from '../../../cli/render/event_log.ts';
import { BackendError } from '../../../runtime/backend/preference.ts';
import { DataError } from '../../../runtime/data/errors.ts';
import { ImageLoadingError } from '../../../runtime/data/pipeline/decoder.ts';
import { UserError } from '../../../runtime/errors.ts';
import { ModelConfigError } from '../../../runtime/model/errors.ts';
import { SpeedSettingError } from '../../../runtime/model/speed.ts';
import { QueueJobError, QueueLostError, QueueUnreachableError, QueueUrlError } from '../../../runtime/queue/errors.ts';
import { CheckpointError } from '../../../runtime/store/checkpoint_store.ts';
import { RunDirectoryError } from '../../../runtime/store/run_directory.ts';
import { RunLockedError } from '../../../runtime/store/run_lock.ts';
import { PlanNotSupportedError } from '../../../runtime/run/assert_supported.ts';
import { TextInputError } from '../../../runtime/text/text_inputs.ts';
import { DivergedError } from '../../../runtime/train/step.ts';
import { WeightsError } from '../../../runtime/weights/errors.ts';

test('a new UserError subclass is a user error without editing the CLI', (t) => {
  class SomethingNewError extends UserError {
    override readonly name = 'SomethingNewError';
  }
  const e = new SomethingNewError('the frobnicator is empty', { file: 'data/x.bin', place: 3 });
  t.true(isUserError(e));
  t.is(e.message, 'data/x.bin:3: the frobnicator is empty');
  t.is(e.name, 'SomethingNewError');
});

test('a plain Error, a TypeError and a thrown string stay internal errors', (t) => {
  t.false(isUserError(new Error('boom')));
  t.false(isUserError(new TypeError('undefined is not a function')));
  t.false(isUserError('boom'));
  t.false(isUserError(undefined));
});

test('every user-facing error of the runtime and the CLI is a user error', (t) => {
  const errors: Error[] = [
    new BackendError('webgpu', 'no adapter'),
    new CheckpointError('c'),
    new DataError('io', 'data/a.idx', 'cannot be read'),
    new EventLogError('e'),
    new ImageLoadingError('i'),
    new ModelConfigError('vit', ['dim 7 is not divisible by heads 2']),
    new PlanNotSupportedError({ source: 'experiments/x.lpt', name: 'x' }, [
      { entity: { kind: 'experiment', name: 'x' }, reason: 'it evaluates nothing' },
    ]),
    new DivergedError('d'),
    new RunDirectoryError('r'),
    new RunLockedError('l'),
    new SpeedSettingError('s'),
    new TextInputError('t'),
    new WeightsError('shape', 'w.safetensors', 'expected [2]', 'head.weight'),
    new QueueUrlError('q'),
    new QueueUnreachableError('q'),
    new QueueLostError('q'),
    new QueueJobError('q'),
  ];
  for (const e of errors) t.true(isUserError(e), e.name);
});

test('the located messages read as before: file:line, file: place, place alone', (t) => {
  const data = new DataError('label', 'splits/train.txt', 'label 12 is out of range', 7);
  t.is(data.message, 'splits/train.txt:7: label 12 is out of range');
  t.deepEqual([data.file, data.place, data.reason], ['splits/train.txt', 7, 'label 12 is out of range']);
  t.is(new DataError('io', 'data/a.idx', 'cannot be read').message, 'data/a.idx: cannot be read');
  t.is(
    new WeightsError('shape', 'w.safetensors', 'expected [2]', 'head.weight').message,
    "w.safetensors: tensor 'head.weight': expected [2]",
  );
  t.is(new WeightsError('io', 'w.safetensors', 'cannot be read').message, 'w.safetensors: cannot be read');
  t.is(new BackendError('webgpu', 'no adapter').message, "backend 'webgpu': no adapter");
  t.is(new ModelConfigError('vit', ['a', 'b']).message, 'vit: a; b');
  t.is(new RunLockedError('the run is locked').message, 'the run is locked');
});
