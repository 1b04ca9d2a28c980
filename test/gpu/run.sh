#!/usr/bin/env bash
# Entry point of the GPU pack (copied into .gpu-pack/ by test/gpu/pack.sh). On the device machine
# (and in the dry run here) it: unpacks Node, Dawn and the bench into a temporary folder; prints
# what the machine has (node on PATH, GPUs, Vulkan loader, ICD files); brings the Vulkan loader
# from the packed .debs when the machine lacks it (into the temporary folder, LD_LIBRARY_PATH);
# checks that Dawn finds an adapter, retrying with VK_DRIVER_FILES=NVIDIA's ICD and, when
# SCIFORGE_GPU_SYSTEM_GL=1, with the device README's recipe (.debs unpacked into /, ldconfig);
# then runs the bench under a hard time limit. Everything lands in $OUT: run.log, vulkan-check.log,
# bench.log, results-partial.json, results.json. The last stdout line is the bench's JSON.
# Usage: [OUT=DIR] [SCIFORGE_GPU_SYSTEM_GL=1] bash .gpu-pack/run.sh [--quick] [--budget=SECONDS]
#   SCIFORGE_GPU_TOTAL=S     everything this script does ends within S seconds (default 400; --quick: 240):
#                            the bench gets what the set-up left, minus 10 s, and a budget 45 s below that
#   SCIFORGE_DAWN_FLAGS=...  extra flags for Dawn's create(), ";"-separated
#   SCIFORGE_GPU_KEEP=1      keep the temporary folder
set -u -o pipefail
PACK=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$PACK/.." && pwd)
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/sciforge-gpu-out.XXXXXX")}
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sciforge-gpu-run.XXXXXX")
[ -n "${SCIFORGE_GPU_KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
quick=0
for a in "$@"; do [ "$a" = "--quick" ] && quick=1; done
TOTAL=${SCIFORGE_GPU_TOTAL:-$([ "$quick" = 1 ] && echo 240 || echo 400)}
NV_ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
t0=$(date +%s)
say() { echo "[run.sh +$(($(date +%s) - t0))s] $*"; }

unxz_to() {
  xz -dc "$1" >"$2" 2>/dev/null ||
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
}

# Asks Dawn for an adapter (bench phase "adapter": no tfjs); prints its JSON; 0 when one was found.
adapter_check() {
  local line
  echo "---- adapter check: $1" >>"$OUT/vulkan-check.log"
  line=$(timeout -k 5 25 "$WORK/node" "$WORK/app/bench.js" --phase=adapter --config='{}' 2>>"$OUT/vulkan-check.log" | grep -m1 '"adapter"')
  say "adapter check ($1): ${line#@@sciforge-gpu }"
  [[ "$line" == *'"status":"found"'* ]]
}

main() {
  say "machine"
  echo "  date: $(date -u +%Y-%m-%dT%H:%M:%SZ); $(uname -srm); $(nproc) CPUs; user $(id -un)"
  echo "  command -v node: $(command -v node || echo 'none (the packed Node runs the bench)')"
  if command -v nvidia-smi >/dev/null; then
    echo "  nvidia-smi -L: $(nvidia-smi -L 2>&1 | head -4 | tr '\n' ' ')"
    echo "  driver: $(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>&1 | head -1)"
  else
    echo "  nvidia-smi: not on this machine"
  fi
  echo "  ldconfig -p | grep vulkan:"
  ldconfig -p 2>/dev/null | grep -i vulkan | sed 's/^/    /' || echo "    (none)"
  echo "  Vulkan ICD files:"
  for d in /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/share/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d; do
    [ -d "$d" ] && ls "$d" | sed "s|^|    $d/|"
  done
  [ -f "$NV_ICD" ] && { echo "  $NV_ICD:"; sed 's/^/    /' "$NV_ICD"; }
  echo "  LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
  echo "  NVIDIA graphics libraries (ldconfig): $(ldconfig -p 2>/dev/null | grep -oE 'lib(GLX_nvidia|nvidia-glcore|nvidia-glvkspirv|EGL_nvidia|nvidia-gpucomp)\.so[.0-9]*' | sort -u | tr '\n' ' ')"
  glx=$(ldconfig -p 2>/dev/null | awk '/libGLX_nvidia\.so\.0 /{print $NF; exit}')
  [ -n "$glx" ] && echo "  ldd $glx, unresolved: $(ldd "$glx" 2>&1 | grep -i 'not found' | tr -s ' \t\n' ' ' || true)"

  say "unpacking into $WORK"
  unxz_to "$PACK/node.xz" "$WORK/node" && chmod +x "$WORK/node" || { echo "cannot unpack node.xz"; return 1; }
  unxz_to "$PACK/dawn.node.xz" "$WORK/dawn.node" || { echo "cannot unpack dawn.node.xz"; return 1; }
  unxz_to "$PACK/app.tar.xz" "$WORK/app.tar" && tar -C "$WORK" -xf "$WORK/app.tar" || { echo "cannot unpack app.tar.xz"; return 1; }
  echo "  packed node: $("$WORK/node" --version 2>&1); $(cat "$PACK/manifest.json" 2>/dev/null | tr -d '\n' | tr -s ' ')"
  export SCIFORGE_DAWN_NODE=$WORK/dawn.node

  # The Vulkan loader: the machine's, else the packed one (only the libraries the machine lacks).
  if ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; then
    say "the machine has libvulkan.so.1"
  else
    say "no libvulkan.so.1 on this machine: using the packed loader"
    mkdir -p "$WORK/gl-root" "$WORK/gl-lib"
    for f in "$PACK"/gl/*.deb; do dpkg -x "$f" "$WORK/gl-root" || echo "  dpkg -x $f failed"; done
    for so in "$WORK"/gl-root/usr/lib/x86_64-linux-gnu/*.so*; do
      n=$(basename "$so")
      ldconfig -p 2>/dev/null | grep -q "^[[:space:]]*${n//./\\.} " || ln -sf "$so" "$WORK/gl-lib/$n"
    done
    echo "  added: $(ls "$WORK/gl-lib" | tr '\n' ' ')"
    export LD_LIBRARY_PATH=$WORK/gl-lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  fi
  # NVIDIA's ICD library (libGLX_nvidia.so.0) from its mount, when the linker cache lacks it.
  if ! ldconfig -p 2>/dev/null | grep -q 'libGLX_nvidia\.so\.0 '; then
    for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
      if [ -e "$d/libGLX_nvidia.so.0" ]; then
        export LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d
        say "libGLX_nvidia.so.0 is not in the linker cache: LD_LIBRARY_PATH += $d"
        break
      fi
    done
  fi
  # The loader looks for ICDs in the standard folders; NVIDIA's mount keeps its own elsewhere.
  if [ -z "$(ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json /usr/local/share/vulkan/icd.d/*.json 2>/dev/null)" ] && [ -f "$NV_ICD" ]; then
    export VK_DRIVER_FILES=$NV_ICD VK_ICD_FILENAMES=$NV_ICD
    say "no ICD in the standard folders: VK_DRIVER_FILES=$NV_ICD"
  fi
  if ! adapter_check "as set up"; then
    if [ -f "$NV_ICD" ] && [ -z "${VK_DRIVER_FILES:-}" ]; then
      export VK_DRIVER_FILES=$NV_ICD VK_ICD_FILENAMES=$NV_ICD
      adapter_check "VK_DRIVER_FILES=$NV_ICD" && found=1
    fi
    if [ -z "${found:-}" ] && [ "${SCIFORGE_GPU_SYSTEM_GL:-}" = 1 ] && [ "$(id -u)" = 0 ]; then
      say "the device README's recipe: the .debs unpacked into /, ldconfig"
      for f in "$PACK"/gl/*.deb; do dpkg -x "$f" /; done
      ldconfig
      export LD_LIBRARY_PATH=${LD_LIBRARY_PATH#"$WORK/gl-lib"}
      [ -f "$NV_ICD" ] && export VK_DRIVER_FILES=$NV_ICD VK_ICD_FILENAMES=$NV_ICD \
        __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
      adapter_check "system loader" && found=1
    fi
    if [ -z "${found:-}" ]; then
      VK_LOADER_DEBUG=error,warn,driver adapter_check "VK_LOADER_DEBUG=error,warn,driver (see vulkan-check.log)" || true
    fi
  fi

  LIMIT=$((TOTAL - ($(date +%s) - t0) - 10))
  [ "$LIMIT" -gt 360 ] && LIMIT=360
  say "bench (hard limit ${LIMIT} s, phase budget $((LIMIT - 45)) s): $*"
  # (the first --budget wins: one given to run.sh comes first)
  timeout -k 5 "$LIMIT" "$WORK/node" "$WORK/app/bench.js" "$@" --budget=$((LIMIT - 45)) --out="$OUT" --data="$ROOT/notebooks/data/fashion-mnist" >"$WORK/bench.out"
  rc=$?
  last=$(tail -n 1 "$WORK/bench.out")
  if [ "$rc" != 0 ] || [ "${last:0:1}" != "{" ]; then
    say "bench exited with $rc (124/137: killed at the limit); the JSON below is results-partial.json"
    last=$("$WORK/node" -e 'const f = process.argv[1]; let r = {}; try { r = JSON.parse(require("fs").readFileSync(f, "utf8")); } catch (e) { r = { error: "no results-partial.json" }; } r.incomplete = "bench exit " + process.argv[2]; console.log(JSON.stringify(r))' "$OUT/results-partial.json" "$rc")
  fi
  say "done; under \$OUT: $(ls "$OUT" | tr '\n' ' ')"
  echo "$last"
}

main "$@" 2>&1 | tee "$OUT/run.log"
