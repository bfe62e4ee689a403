#!/usr/bin/env bash
# The webgpu backend on a GPU machine without network (docs/GPU.md). Two steps:
#
#   scripts/gpu/device_check.sh prepare          here (with network): packs into .gpu/ (in
#                                                .gitignore) what the stages load and the machine may lack:
#                                                the Vulkan loader .deb, Node, and the node_modules
#                                                files scripts/gpu/pack_list.ts lists; fails when the
#                                                working tree and .gpu/ reach the 64 MiB that travel
#   scripts/gpu/device_check.sh run [--software] there, from the repository root, with .gpu carried
#                                                (device tool: carry [".gpu"]); unpacks what is
#                                                missing and runs the stages below; writes the log and
#                                                results to $OUT (default ./device_check-out).
#                                                --software accepts a software adapter (lavapipe)
#                                                and runs the stages at smaller sizes: how this
#                                                script is tested without a GPU.
#
# Each stage is capped; the caps add up to at most STAGE_BUDGET_S, well inside the device tool's 10
# minutes per command. A stage that fails is reported and the next one still runs. The exit status
# is 0 only when every stage passed.
set -uo pipefail
cd "$(dirname "$0")/../.."
PACK=.gpu
LIMIT_MIB=64
STAGE_BUDGET_S=480

# The stages, in order. Add one here as `stage NAME CAP_SECONDS COMMAND...` (keep the caps' sum
# within STAGE_BUDGET_S); $software is 1 on a software adapter, where a stage should use small
# shapes or be left out.
stages() {
  local accept=() quickstart=experiments/quickstart.lpt depth=12
  [ "$software" = 1 ] && accept=(--software) && quickstart=scripts/gpu/software_check.lpt && depth=2
  local ava=(node node_modules/ava/entrypoints/cli.mjs --timeout 10m)
  stage adapter "$((software ? 10 : 30))" node --import tsx scripts/gpu/adapter.ts "${accept[@]}"
  # The paper-shape comparison has its own stage (below), at the depth the adapter allows.
  stage webgpu-tests "$((software ? 140 : 150))" "${ava[@]}" $(ls test/gpu/*.test.ts | grep -v webgpu_paper_shapes) \
    test/runtime/backend/select.test.ts test/runtime/backend/adapter_probe.test.ts test/runtime/backend/quiet_probe.test.ts
  # LPT at ViT-B/16 shapes against PyTorch (test/fixtures/paper_shapes): all 12 blocks on a GPU,
  # 2 on lavapipe.
  stage paper-shapes "$((software ? 210 : 90))" env LPT_PAPER_SHAPES_DEPTH="$depth" \
    "${ava[@]}" --verbose test/gpu/webgpu_paper_shapes.test.ts
  if [ "$software" = 0 ]; then
    stage bench-vitb16 90 node --import tsx bench/run.ts --backend webgpu --config vitb16 \
      --batches 8,32 --warmup 1 --steps 2 --rounds 1 --json
  fi
  stage quickstart 120 node bin/lpt.js run "$quickstart" --backend webgpu --out "$OUT/runs"
  find "$OUT/runs" -name results.json -exec cp {} "$OUT/quickstart-results.json" \; 2>/dev/null
  rm -rf "$OUT/runs"
}

prepare() {
  set -e
  export XZ_OPT=${XZ_OPT:--T0 -9} # the size is the limit here, not the time
  rm -rf "$PACK" && mkdir -p "$PACK/debs"
  # The Vulkan loader (libvulkan1): the driver's ICD is on the machine, the loader may not be.
  local lists
  lists=$(mktemp -d)
  mkdir -p "$lists/partial"
  local o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
  apt-get "${o[@]}" update >/dev/null
  (cd "$PACK/debs" && apt-get "${o[@]}" download libvulkan1)
  rm -rf "$lists"
  # Node and the node_modules files the stages load, in a staging folder where the two large
  # binaries lose their symbol tables (Node 99 -> 86 MB, Dawn 21.5 -> 17.5 MB before compression).
  local stage_dir
  stage_dir=$(mktemp -d)
  strip -o "$stage_dir/node" "$(readlink -f "$(command -v node)")"
  tar -C "$stage_dir" -cJf "$PACK/node.tar.xz" node
  node --import tsx scripts/gpu/pack_list.ts >"$stage_dir/files"
  tar --verbatim-files-from -T "$stage_dir/files" -cf - | tar -C "$stage_dir" -xf -
  strip --strip-unneeded "$stage_dir"/node_modules/webgpu/dist/linux-x64/dawn.node
  tar -C "$stage_dir" -cJf "$PACK/node_modules.tar.xz" node_modules
  rm -rf "$stage_dir"
  local tree pack
  tree=$(git ls-files -z --cached --others --exclude-standard -- . ":(exclude)$PACK" | du -cb --files0-from=- |
    tail -1 | cut -f1)
  pack=$(du -cb "$PACK" | tail -1 | cut -f1)
  echo "device_check: working tree $((tree >> 20)) MiB + $PACK $((pack >> 20)) MiB of ${LIMIT_MIB} MiB"
  if (((tree + pack) >> 20 >= LIMIT_MIB)); then
    echo "device_check: more than ${LIMIT_MIB} MiB would travel; prune scripts/gpu/pack_list.ts further" >&2
    exit 1
  fi
}

stage() { # name, seconds, command...
  local name=$1 seconds=$2
  shift 2
  if [ "$planning" = 1 ]; then
    planned=$((planned + seconds))
    return
  fi
  echo "=== $name (at most ${seconds}s)"
  local start=$SECONDS
  if timeout -k 10 "$seconds" "$@"; then echo "=== $name: ok in $((SECONDS - start))s"; else
    echo "=== $name: FAILED (exit $?) after $((SECONDS - start))s"
    failed=1
  fi
}

run() {
  software=0
  [ "${1:-}" = --software ] && software=1
  OUT=${OUT:-$PWD/device_check-out}
  mkdir -p "$OUT"
  planning=1 planned=0
  stages
  planning=0
  if ((planned > STAGE_BUDGET_S)); then
    echo "device_check: the stages' caps add up to ${planned}s, over ${STAGE_BUDGET_S}s" >&2
    return 1
  fi
  exec > >(tee "$OUT/device_check.log") 2>&1
  failed=0
  # The Vulkan loader, and the NVIDIA ICD where there is one (the device README's recipe).
  if ! ldconfig -p | grep -q libvulkan.so.1; then
    for f in "$PACK"/debs/*.deb; do dpkg -x "$f" /; done
    ldconfig
  fi
  local icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  [ "$software" = 0 ] && [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$icd" ] && export VK_DRIVER_FILES=$icd
  # The packed Node, so that every machine runs the version this was prepared with.
  if [ -f "$PACK/node.tar.xz" ]; then
    mkdir -p /tmp/lpt-node/bin && tar -C /tmp/lpt-node/bin -xJf "$PACK/node.tar.xz"
    export PATH=/tmp/lpt-node/bin:$PATH
  fi
  [ -d node_modules ] || tar -xJf "$PACK/node_modules.tar.xz"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || true
  echo "node $(node --version); VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}; stages capped at ${planned}s"
  export LPT_BENCH_PYTHON=${LPT_BENCH_PYTHON:-python3} LPT_BENCH_TORCH_DEVICE=cuda
  stages
  echo "device_check: $([ "$failed" -eq 0 ] && echo 'all stages passed' || echo 'some stages FAILED')"
  return "$failed"
}

case "${1:-}" in
  prepare) prepare ;;
  run) run "${@:2}" ;;
  *)
    echo "usage: $0 prepare | run [--software]" >&2
    exit 2
    ;;
esac
