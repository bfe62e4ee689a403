/**
 * Mounts the live run view on a terminal. The runner hands events to `subscribe`'s listeners
 * (createEventHub gives both ends), and stops gracefully when `onStopRequested` is called. Ink's
 * own Ctrl-C exit is off: Ctrl-C is a stop request, and a second one force-quits.
 */
import { render } from 'ink';
import { App } from './app.tsx';
import type { Subscribe } from './event_hub.ts';

export interface RunUiOptions {
  readonly subscribe: Subscribe;
  readonly onStopRequested: () => void;
  /** A second Ctrl-C. Default: unmount and exit the process with 130 (the usual SIGINT status). */
  readonly onForceQuit?: () => void;
  /** Interrupts from outside the keyboard. Default: SIGINT. */
  readonly subscribeInterrupt?: (listener: () => void) => () => void;
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
}

export interface RunUi {
  /** Resolves after run_end was shown (or unmount was called). */
  readonly waitUntilExit: () => Promise<unknown>;
  readonly unmount: () => void;
}

export function renderRunUi(options: RunUiOptions): RunUi {
  const subscribeInterrupt =
    options.subscribeInterrupt ??
    ((listener: () => void) => {
      process.on('SIGINT', listener);
      return () => {
        process.off('SIGINT', listener);
      };
    });
  let instance: ReturnType<typeof render> | undefined; // eslint-disable-line prefer-const -- assigned after the callbacks that read it
  const onForceQuit =
    options.onForceQuit ??
    (() => {
      instance?.unmount();
      process.exit(130);
    });
  instance = render(
    <App
      subscribe={options.subscribe}
      onStopRequested={options.onStopRequested}
      onForceQuit={onForceQuit}
      subscribeInterrupt={subscribeInterrupt}
    />,
    {
      exitOnCtrlC: false,
      ...(options.stdout ? { stdout: options.stdout } : {}),
      ...(options.stdin ? { stdin: options.stdin } : {}),
    },
  );
  const mounted = instance;
  return { waitUntilExit: () => mounted.waitUntilExit(), unmount: () => mounted.unmount() };
}
