/**
 * The image workers' replies as binary frames on a pipe: a header of eight u32 (job id, kind,
 * payload bytes, channels, height, width, tail start, flipped) and the payload: the bytes of an
 * image whose geometry is done (RGB interleaved, to be finished where they arrive), a finished
 * image's float32 pixels, or an error as UTF-8 JSON. Pixels go through the pipe once and into
 * their own array on arrival (structured-clone IPC costs several copies and a serialisation).
 */
import type { JobResult } from './job_result.ts';
import type { WorkerError } from './protocol.ts';

const FIELDS = 8;
const HEADER_BYTES = 4 * FIELDS;
const IMAGE = 0;
const RGB = 1;
const ERROR = 2;

export type Frame =
  { readonly id: number; readonly result: JobResult } | { readonly id: number; readonly error: WorkerError };

/** The frame of a job's result, as the two buffers to write in order (the pixels are not copied). */
export function resultFrame(id: number, result: JobResult): [Uint8Array, Uint8Array] {
  if ('pixels' in result) {
    const { data, height, width } = result.pixels;
    return [header(id, RGB, data.byteLength, 3, height, width, result.tailStart, result.flipped ? 1 : 0), data];
  }
  const { data, channels, height, width } = result.image;
  return [
    header(id, IMAGE, data.byteLength, channels, height, width, 0, 0),
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  ];
}

export function errorFrame(id: number, error: WorkerError): [Uint8Array, Uint8Array] {
  const text = new TextEncoder().encode(JSON.stringify(error));
  return [header(id, ERROR, text.byteLength, 0, 0, 0, 0, 0), text];
}

function header(...fields: number[]): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  fields.forEach((value, i) => view.setUint32(4 * i, value, true));
  return bytes;
}

/** Reassembles frames from the chunks a pipe delivers, in any split. */
export class FrameReader {
  private readonly head = new Uint8Array(HEADER_BYTES);
  private headFilled = 0;
  private fields: number[] = [];
  private payload: Uint8Array | undefined;
  private payloadFilled = 0;

  constructor(private readonly onFrame: (frame: Frame) => void) {}

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.payload === undefined) {
        const take = Math.min(HEADER_BYTES - this.headFilled, chunk.length - at);
        this.head.set(chunk.subarray(at, at + take), this.headFilled);
        this.headFilled += take;
        at += take;
        if (this.headFilled < HEADER_BYTES) return;
        const view = new DataView(this.head.buffer);
        this.fields = Array.from({ length: FIELDS }, (_, i) => view.getUint32(4 * i, true));
        this.payload = new Uint8Array(this.fields[2]!);
        this.payloadFilled = 0;
        this.headFilled = 0;
      }
      const take = Math.min(this.payload.length - this.payloadFilled, chunk.length - at);
      this.payload.set(chunk.subarray(at, at + take), this.payloadFilled);
      this.payloadFilled += take;
      at += take;
      if (this.payloadFilled === this.payload.length) this.finish();
    }
  }

  private finish(): void {
    const [id, kind, , channels, height, width, tailStart, flipped] = this.fields as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const payload = this.payload!;
    this.payload = undefined;
    if (kind === ERROR)
      return this.onFrame({ id, error: JSON.parse(new TextDecoder().decode(payload)) as WorkerError });
    if (kind === RGB)
      return this.onFrame({
        id,
        result: { pixels: { data: payload, height, width }, tailStart, flipped: flipped === 1 },
      });
    this.onFrame({
      id,
      result: { image: { data: new Float32Array(payload.buffer, 0, payload.byteLength / 4), channels, height, width } },
    });
  }
}
