#!/usr/bin/env bash
# The webgpu backend on an NVIDIA machine without network (issue 13): prints the adapter, runs the
# webgpu parity tests, times the bench at ViT-B/16 shapes with the PyTorch peer on the same GPU,
# and runs the quickstart. Two steps:
#
#   scripts/gpu/device_check.sh prepare     here (with network): packs what the machine lacks into
#                                           .gpu/ (ignored by git): the Vulkan loader .deb, Node,
#                                           and node_modules without what the check never loads;
#                                           fails if the working tree plus .gpu/ exceed 64 MiB
#   scripts/gpu/device_check.sh run         there, from the repository root, with .gpu carried
#                                           (device tool: carry [".gpu"]); writes everything to
#                                           $OUT (default ./device_check-out)
#
# Each stage is capped so that the whole run ends within the device tool's 10 minutes per command;
# a stage that fails is reported and the next one still runs. The exit status is 0 only when the
# adapter is a hardware one and every stage passed.
set -uo pipefail
cd "$(dirname "$0")/../.."
PACK=.gpu
LIMIT_MIB=60

prepare() {
  set -e
  export XZ_OPT=${XZ_OPT:--T0 -3} # fast enough on a small machine; -9 saves little here
  rm -rf "$PACK" && mkdir -p "$PACK/debs"
  # The Vulkan loader (libvulkan1): the driver's ICD is on the machine, the loader may not be.
  local lists; lists=$(mktemp -d)
  mkdir -p "$lists/partial"
  local o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
  apt-get "${o[@]}" update >/dev/null
  (cd "$PACK/debs" && apt-get "${o[@]}" download libvulkan1)
  rm -rf "$lists"
  # Node itself (one binary), and node_modules without the packages and builds the check never
  # loads (TypeScript, image codecs, queues, other platforms' Dawn, minified and source-map files).
  tar -C "$(dirname "$(readlink -f "$(command -v node)")")" -cJf "$PACK/node.tar.xz" node
  tar -cJf "$PACK/node_modules.tar.xz" \
    --exclude='node_modules/typescript' --exclude='node_modules/@img' --exclude='node_modules/sharp' \
    --exclude='node_modules/@resvg' --exclude='node_modules/bullmq' --exclude='node_modules/ioredis' \
    --exclude='node_modules/msgpackr*' --exclude='node_modules/luxon' --exclude='node_modules/lodash*' \
    --exclude='node_modules/underscore' --exclude='node_modules/es-toolkit' --exclude='node_modules/@types' \
    --exclude='node_modules/webgpu/dist/darwin-*' --exclude='node_modules/webgpu/dist/win32-*' \
    --exclude='node_modules/webgpu/dist/linux-arm64' --exclude='*.map' --exclude='*.min.js' \
    --exclude='*.es2017.js' --exclude='*.fesm.js' --exclude='node_modules/.cache' \
    --exclude='node_modules/@tensorflow/tfjs-node*' node_modules
  local tree pack
  tree=$(git ls-files -z | du -cb --files0-from=- | tail -1 | cut -f1)
  pack=$(du -cb "$PACK" | tail -1 | cut -f1)
  echo "device_check: working tree $((tree >> 20)) MiB + $PACK $((pack >> 20)) MiB"
  if (((tree + pack) >> 20 >= LIMIT_MIB)); then
    echo "device_check: more than ${LIMIT_MIB} MiB would travel; prune node_modules further" >&2
    exit 1
  fi
  grep -qx "/$PACK/" .git/info/exclude 2>/dev/null || echo "/$PACK/" >>"$(git rev-parse --git-path info/exclude)"
}

stage() { # name, seconds, command...
  local name=$1 seconds=$2
  shift 2
  echo "=== $name (at most ${seconds}s)"
  local start=$SECONDS
  if timeout "$seconds" "$@"; then echo "=== $name: ok in $((SECONDS - start))s"; else
    echo "=== $name: FAILED (exit $?) after $((SECONDS - start))s"
    failed=1
  fi
}

run() {
  OUT=${OUT:-$PWD/device_check-out}
  mkdir -p "$OUT"
  exec > >(tee "$OUT/device_check.log") 2>&1
  failed=0
  # Vulkan loader and the NVIDIA ICD (the device README's recipe).
  if ! ldconfig -p | grep -q libvulkan.so.1; then
    for f in "$PACK"/debs/*.deb; do dpkg -x "$f" /; done
    ldconfig
  fi
  local icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$icd" ] && export VK_DRIVER_FILES=$icd
  if ! command -v node >/dev/null; then
    mkdir -p /tmp/lpt-node/bin && tar -C /tmp/lpt-node/bin -xJf "$PACK/node.tar.xz"
    export PATH=/tmp/lpt-node/bin:$PATH
  fi
  [ -d node_modules ] || tar -xJf "$PACK/node_modules.tar.xz"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
  echo "node $(node --version); VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"

  stage adapter 60 node --input-type=module -e "
    import { create, globals } from 'webgpu';
    const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
    if (adapter === null) { console.log('no WebGPU adapter'); process.exit(1); }
    const i = adapter.info;
    console.log('adapter:', i.vendor, i.architecture, i.device, i.description, 'fallback', i.isFallbackAdapter === true);
    if (i.isFallbackAdapter || /llvmpipe|lavapipe|swiftshader/i.test(i.description + i.device)) process.exit(2);"
  stage parity 150 node node_modules/ava/entrypoints/cli.mjs test/gpu/webgpu_parity.test.ts test/runtime/backend/select.test.ts
  export LPT_BENCH_PYTHON=${LPT_BENCH_PYTHON:-python3} LPT_BENCH_TORCH_DEVICE=cuda
  stage bench-vitb16 240 node node_modules/tsx/dist/cli.mjs bench/run.ts --backend webgpu --config vitb16 \
    --batches 8,32 --warmup 1 --steps 2 --rounds 2 --json
  stage quickstart 150 node bin/lpt.js run experiments/quickstart.lpt --backend webgpu --out "$OUT/runs"
  find "$OUT/runs" -name results.json -exec cp {} "$OUT/quickstart-results.json" \; 2>/dev/null
  rm -rf "$OUT/runs"
  echo "device_check: $([ "$failed" -eq 0 ] && echo 'all stages passed' || echo 'some stages FAILED')"
  return "$failed"
}

case "${1:-}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac
