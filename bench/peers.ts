/**
 * The bench's set of PyTorch peers: every model with every allocator and wait policy the command
 * line names, started once, each on the OpenBLAS core type lpt's addon loaded; and the machine's
 * sgemm, measured through the first peer (torch.mm on its 2 threads and BLAS).
 */
import type { BenchArgs } from './args.ts';
import { startTorchPeer, type SgemmResult, type TorchPeer } from './torch_peer.ts';

export interface Peers {
  readonly peers: readonly TorchPeer[];
  /** Why a peer that was asked for is absent. */
  readonly skipped: readonly string[];
}

/** The core type in the addon's BLAS label, e.g. "libopenblas.so.0 (SkylakeX)" -> "SkylakeX". */
export function coreTypeOf(blasLabel: string | null): string | null {
  return /\((\w+)\)$/.exec(blasLabel ?? '')?.[1] ?? null;
}

export async function startPeers(args: BenchArgs, blasLabel: string | null): Promise<Peers> {
  const peers: TorchPeer[] = [];
  const skipped: string[] = [];
  if (!args.torch) return { peers, skipped };
  for (const model of args.torchModels)
    for (const allocator of args.torchAllocators)
      for (const wait of args.torchWaits) {
        const started = await startTorchPeer({ model, allocator, wait }, coreTypeOf(blasLabel));
        if (started.ok) peers.push(started.peer);
        else skipped.push(started.reason);
      }
  return { peers, skipped };
}

/** The best of the peer's sgemm runs (several products each); null without a peer. */
export async function machineSgemm(peers: readonly TorchPeer[], repeats = 2): Promise<SgemmResult | null> {
  const first = peers[0];
  if (first === undefined) return null;
  let best: SgemmResult | null = null;
  for (let i = 0; i < repeats; i++) {
    const r = await first.sgemm();
    if (best === null || r.gflops > best.gflops) best = r;
  }
  return best;
}

export function closePeers(peers: readonly TorchPeer[]): void {
  for (const p of peers) p.close();
}
