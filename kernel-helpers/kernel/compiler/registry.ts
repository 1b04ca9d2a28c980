/**
 * The document registry holds parsed files for language services. TypeScript files them under a
 * key made of the compiler options that could change a parse, so two notebooks whose tsconfigs
 * differ in, say, `noFallthroughCasesInSwitch` would each parse TypeScript's lib and Node's types
 * again. Declaration files of the lib and of packages parse the same under any options a kernel
 * allows (the target is the running Node's, module detection is fixed), so they share one key:
 * parsed once — or taken from the startup snapshot — for every notebook.
 */
import type * as TS from "typescript";

const SHARED_KEY = "sciforge-shared-declarations" as TS.DocumentRegistryBucketKey;

export function sharedRegistry(inner: TS.DocumentRegistry, isShared: (path: string) => boolean): TS.DocumentRegistry {
  const keyOf = (path: string, key: TS.DocumentRegistryBucketKey) => (/\.d\.[cm]?ts$/.test(path) && isShared(path) ? SHARED_KEY : key);
  return {
    ...inner,
    acquireDocumentWithKey: (fileName, path, settings, key, snapshot, version, kind, options) =>
      inner.acquireDocumentWithKey(fileName, path, settings, keyOf(path, key), snapshot, version, kind, options),
    updateDocumentWithKey: (fileName, path, settings, key, snapshot, version, kind, options) =>
      inner.updateDocumentWithKey(fileName, path, settings, keyOf(path, key), snapshot, version, kind, options),
    releaseDocumentWithKey: ((path: TS.Path, key: TS.DocumentRegistryBucketKey, kind: TS.ScriptKind, format: TS.ResolutionMode) =>
      inner.releaseDocumentWithKey(path, keyOf(path, key), kind, format)) as TS.DocumentRegistry["releaseDocumentWithKey"],
    getKeyForCompilationSettings: (settings) => inner.getKeyForCompilationSettings(settings),
    reportStats: () => inner.reportStats(),
  };
}
