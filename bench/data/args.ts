/** Command-line options of `npm run bench:data`. */
export interface DataBenchArgs {
  readonly json: boolean;
  /** An existing folder of class sub-folders; default: the generated one. */
  readonly folder: string | null;
  /** Images in the generated folder. */
  readonly images: number;
  readonly workers: readonly number[];
  readonly batch: number;
  readonly rounds: number;
  readonly torch: boolean;
  readonly starve: boolean;
  /** Steps of the starvation check. */
  readonly steps: number;
}

export class DataBenchArgsError extends Error {
  override readonly name = 'DataBenchArgsError';
}

export const USAGE =
  'usage: npm run bench:data -- [--json] [--folder DIR] [--images N] [--workers 1,2] [--batch 32] [--rounds 3] [--steps 8] [--no-torch] [--no-starve]';

function positive(flag: string, value: string | undefined, zero = false): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < (zero ? 0 : 1))
    throw new DataBenchArgsError(
      `${flag} needs a whole number${zero ? ' >= 0' : ' > 0'}, got '${value ?? ''}'\n${USAGE}`,
    );
  return n;
}

export function parseDataBenchArgs(argv: readonly string[]): DataBenchArgs {
  let args: DataBenchArgs = {
    json: false,
    folder: null,
    images: 256,
    workers: [1, 2],
    batch: 32,
    rounds: 3,
    torch: true,
    starve: true,
    steps: 8,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => argv[++i];
    switch (flag) {
      case '--json':
        args = { ...args, json: true };
        break;
      case '--folder': {
        const dir = value();
        if (!dir) throw new DataBenchArgsError(`--folder needs a folder\n${USAGE}`);
        args = { ...args, folder: dir };
        break;
      }
      case '--images':
        args = { ...args, images: positive(flag, value()) };
        break;
      case '--workers':
        args = { ...args, workers: (value() ?? '').split(',').map((w) => positive(flag, w, true)) };
        break;
      case '--batch':
        args = { ...args, batch: positive(flag, value()) };
        break;
      case '--rounds':
        args = { ...args, rounds: positive(flag, value()) };
        break;
      case '--steps':
        args = { ...args, steps: positive(flag, value()) };
        break;
      case '--no-torch':
        args = { ...args, torch: false };
        break;
      case '--no-starve':
        args = { ...args, starve: false };
        break;
      default:
        throw new DataBenchArgsError(`unknown option '${flag}'\n${USAGE}`);
    }
  }
  return args;
}
