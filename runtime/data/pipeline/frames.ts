/**
 * The image workers' replies as binary frames on a pipe: a header of six u32 (job id, kind, payload
 * bytes, channels, height, width) and the payload, the image's float32 pixels or an error as
 * UTF-8 JSON. Pixels go through the pipe once and are copied straight into their own array on
 * arrival (structured-clone IPC costs several copies and a serialisation per image).
 */
import type { Image } from '../image.ts';
import type { WorkerError } from './protocol.ts';

const HEADER_BYTES = 24;
const IMAGE = 0;
const ERROR = 1;

export type Frame = { readonly id: number; readonly image: Image } | { readonly id: number; readonly error: WorkerError };

/** The frame of an image, as the two buffers to write in order (the pixels are not copied). */
export function imageFrame(id: number, image: Image): [Uint8Array, Uint8Array] {
  const pixels = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return [header(id, IMAGE, pixels.byteLength, image.channels, image.height, image.width), pixels];
}

export function errorFrame(id: number, error: WorkerError): [Uint8Array, Uint8Array] {
  const text = new TextEncoder().encode(JSON.stringify(error));
  return [header(id, ERROR, text.byteLength, 0, 0, 0), text];
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
        this.fields = Array.from({ length: 6 }, (_, i) => view.getUint32(4 * i, true));
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
    const [id, kind, , channels, height, width] = this.fields as [number, number, number, number, number, number];
    const payload = this.payload!;
    this.payload = undefined;
    if (kind === ERROR) return this.onFrame({ id, error: JSON.parse(new TextDecoder().decode(payload)) as WorkerError });
    this.onFrame({ id, image: { data: new Float32Array(payload.buffer, 0, payload.byteLength / 4), channels, height, width } });
  }
}
