/**
 * Which notebooks the Sciforge controller claims (preferred affinity): only those written for
 * this kernel — kernelspec name `sciforge` (or `sciforge-…`, as `sciforge kernel install --name`
 * may write). Other TypeScript kernels' notebooks (Deno's `deno`, tslab's `tslab`) and notebooks
 * with no kernelspec are left to their own kernels or to the user's pick in the kernel picker.
 * No `vscode` import: testable.
 */

/** The Jupyter metadata of a notebook as VS Code's ipynb serializer stores it (nb.metadata). */
export function jupyterMetadata(documentMetadata: unknown): Record<string, unknown> {
  const md = (documentMetadata ?? {}) as Record<string, any>;
  return md.metadata ?? md.custom?.metadata ?? md;
}

/** True when the notebook's kernelspec names the Sciforge kernel. */
export function isSciforgeKernelspec(jupyter: Record<string, unknown>): boolean {
  const spec = jupyter.kernelspec as { name?: unknown } | undefined;
  return typeof spec?.name === "string" && /^sciforge([-_.][\w.-]*)?$/i.test(spec.name);
}

/** True for notebooks this extension should be the preferred kernel of (see module comment). */
export function claimsNotebook(documentMetadata: unknown): boolean {
  return isSciforgeKernelspec(jupyterMetadata(documentMetadata));
}
