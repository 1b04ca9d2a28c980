/** Saving and loading bundles: versioned folders written atomically (temp folder, then rename). */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { Pipeline } from "../../data/pipeline/pipeline";
import { stepFromJSON, tensorEncoderFromJSON } from "../../data/pipeline/registry";
import { fileHandler, loadModel } from "../../train/io/file-handler";
import type { Bundle, BundleTask } from "./bundle";
import type { InputSchema } from "./schema";
import type { Run } from "../../track/run";

const BUNDLE_JSON = "bundle.json";
const CURRENT_JSON = "current.json";
const FORMAT = "sciforge-bundle";
/**
 * Newest bundle.json layout this code reads; 2 adds an encoder and a shaped model input; 3 saves
 * pipeline.json and encoder.json as steps `{ kind, version, options, state }` (restored by
 * `stepFromJSON`). Versions 1–2 (flat step JSON) are still read.
 */
const FORMAT_VERSION = 3;

/** What bundle.json holds. */
interface BundleFile {
  format: typeof FORMAT;
  /** 1: flat model input from table columns; 2: also `encoder.json` and/or a shaped input (`inputShape`); 3: steps in the step layout. */
  formatVersion: 1 | 2 | 3;
  name: string;
  version: number;
  task: BundleTask;
  schema: InputSchema;
  inputColumns: string[];
  labels?: string[];
  target?: string;
  metadata: Record<string, unknown>;
  metrics: Record<string, number>;
  createdAt: string;
  hasPipeline: boolean;
  /** formatVersion ≥ 2: encoder.json holds the fitted encoder. */
  hasEncoder?: boolean;
  /** formatVersion ≥ 2: shape of one model input (absent: [inputColumns.length]). */
  inputShape?: number[];
}

/** Options of {@link saveBundle}. */
export interface SaveBundleOptions {
  /** Version number (default: the highest saved + 1). */
  version?: number;
  /** Make this version the one `loadBundle(root)` returns (default true). */
  promote?: boolean;
  /** A tracked run to record the saved version as an artifact of. */
  run?: Pick<Run, "logArtifact">;
}

function versionsIn(root: string): number[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((n) => /^v(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** The promoted version of a bundle root (undefined when none). */
export function currentVersion(root: string): number | undefined {
  const p = join(root, CURRENT_JSON);
  if (!existsSync(p)) return undefined;
  return (JSON.parse(readFileSync(p, "utf8")) as { version: number }).version;
}

/** Makes `version` the one `loadBundle(root)` returns (atomic pointer file). */
export function promoteVersion(root: string, version: number): void {
  if (!existsSync(join(root, `v${version}`, BUNDLE_JSON))) throw new Error(`promote: ${root} has no version ${version}`);
  writeAtomic(join(root, CURRENT_JSON), JSON.stringify({ version, promotedAt: new Date().toISOString() }) + "\n");
}

/**
 * Saves a bundle as version N under `root` (`root/vN/`: model/model.json + weights.bin,
 * pipeline.json, encoder.json when it has an encoder, bundle.json). Everything is written into a temporary folder first and renamed
 * into place, so a crash never leaves a half-written version; then `current.json` is switched
 * to it (unless `promote: false`). Sets `bundle.version`, `bundle.dir` and `bundle.root`.
 */
export async function saveBundle(bundle: Bundle, root: string, options: SaveBundleOptions = {}): Promise<Bundle> {
  const absRoot = resolve(root);
  mkdirSync(absRoot, { recursive: true });
  const tmp = join(absRoot, `.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(tmp);
  try {
    await bundle.model.save(fileHandler(join(tmp, "model")));
    if (bundle.pipeline) writeFileSync(join(tmp, "pipeline.json"), JSON.stringify(bundle.pipeline.toJSON()));
    if (bundle.encoder) writeFileSync(join(tmp, "encoder.json"), JSON.stringify(bundle.encoder.toJSON()));
    // Bundles without steps keep the oldest layout they fit in, readable by older versions; steps
    // are saved in the step layout, which versions before 3 cannot read.
    const shaped = bundle.encoder !== undefined || bundle.inputShape.length > 1;
    const steps = bundle.encoder !== undefined || bundle.pipeline !== undefined;
    let version = options.version ?? (versionsIn(absRoot).pop() ?? 0) + 1;
    const name = bundle.name || basename(absRoot);
    const file = (v: number): BundleFile => ({
      format: FORMAT,
      formatVersion: steps ? 3 : shaped ? 2 : 1,
      name,
      version: v,
      task: bundle.task,
      schema: bundle.schema,
      inputColumns: bundle.inputColumns,
      labels: bundle.labels,
      target: bundle.target,
      metadata: bundle.metadata,
      metrics: bundle.metrics,
      createdAt: bundle.createdAt,
      hasPipeline: bundle.pipeline !== undefined,
      ...(shaped ? { hasEncoder: bundle.encoder !== undefined, inputShape: bundle.inputShape } : {}),
    });
    for (let attempt = 0; ; attempt++) {
      writeFileSync(join(tmp, BUNDLE_JSON), JSON.stringify(file(version), null, 2) + "\n");
      try {
        renameSync(tmp, join(absRoot, `v${version}`));
        break;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Another writer took this version number: an explicit version is an error, else take the next.
        if ((code !== "ENOTEMPTY" && code !== "EEXIST") || options.version !== undefined || attempt > 20) {
          throw new Error(`saveBundle: cannot create ${join(absRoot, `v${version}`)}: ${(e as Error).message}`, { cause: e });
        }
        version = (versionsIn(absRoot).pop() ?? version) + 1;
      }
    }
    if (options.promote !== false) promoteVersion(absRoot, version);
    bundle.version = version;
    bundle.name = name;
    bundle.root = absRoot;
    bundle.dir = join(absRoot, `v${version}`);
    options.run?.logArtifact(`bundle ${name} v${version}`, bundle.dir, "bundle");
    return bundle;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Options of {@link loadBundle}. */
export interface LoadBundleOptions {
  /** Version to load from a root (default: the promoted one, else the highest). */
  version?: number;
}

/**
 * Loads a bundle: from a root (its promoted version, or `version`) or from a version folder.
 * ```ts
 * const b = await loadBundle("models/iris");
 * await predict(b, [{ sepal_length: 5.1, … }]);
 * ```
 */
export async function loadBundle(path: string, options: LoadBundleOptions = {}): Promise<Bundle> {
  const abs = resolve(path);
  let dir = abs;
  let root: string | undefined;
  if (!existsSync(join(abs, BUNDLE_JSON))) {
    const versions = versionsIn(abs);
    const v = options.version ?? currentVersion(abs) ?? versions[versions.length - 1];
    if (v === undefined) throw new Error(`loadBundle: ${abs} is neither a bundle folder (no ${BUNDLE_JSON}) nor a root with versions`);
    dir = join(abs, `v${v}`);
    root = abs;
    if (!existsSync(join(dir, BUNDLE_JSON))) throw new Error(`loadBundle: ${abs} has no version ${v} (has ${versions.map((x) => `v${x}`).join(", ") || "none"})`);
  } else if (/^v\d+$/.test(basename(abs))) {
    root = resolve(abs, "..");
  }
  const meta = JSON.parse(readFileSync(join(dir, BUNDLE_JSON), "utf8")) as BundleFile;
  if (meta.format !== FORMAT) throw new Error(`loadBundle: ${dir}/${BUNDLE_JSON} is not a Sciforge bundle`);
  if (!(meta.formatVersion >= 1 && meta.formatVersion <= FORMAT_VERSION)) {
    throw new Error(`loadBundle: ${dir}/${BUNDLE_JSON} has format version ${meta.formatVersion}; this Sciforge reads versions 1–${FORMAT_VERSION} (update Sciforge)`);
  }
  const model = await loadModel(join(dir, "model"));
  const pipeline = meta.hasPipeline ? stepFromJSON<Pipeline>(readFileSync(join(dir, "pipeline.json"), "utf8")) : undefined;
  if (pipeline && !(pipeline instanceof Pipeline)) throw new Error(`loadBundle: ${dir}/pipeline.json holds a ${(pipeline as { kind: string }).kind}, not a Pipeline`);
  const encoder = meta.hasEncoder ? tensorEncoderFromJSON(readFileSync(join(dir, "encoder.json"), "utf8")) : undefined;
  return {
    name: meta.name,
    version: meta.version,
    task: meta.task,
    model,
    pipeline,
    encoder,
    schema: meta.schema,
    inputColumns: meta.inputColumns,
    inputShape: meta.inputShape ?? [meta.inputColumns.length],
    labels: meta.labels,
    target: meta.target,
    metadata: meta.metadata,
    metrics: meta.metrics,
    createdAt: meta.createdAt,
    dir,
    root,
  };
}

/** Saved versions under a bundle root, ascending. */
export function bundleVersions(root: string): number[] {
  return versionsIn(resolve(root));
}
