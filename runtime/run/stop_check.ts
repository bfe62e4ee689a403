/**
 * How a run asks whether to stop: polled between steps (and between variants, and while following
 * a queued run). It may answer later (a promise): the CLI holds a stop request back for a moment
 * while the event loop runs, so that a second signal sent together with the first still quits at
 * once (cli/commands/stop_signals.ts).
 */
export type StopCheck = () => boolean | Promise<boolean>;
