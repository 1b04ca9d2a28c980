// Public API of the workspace area (files a notebook writes): re-exports only.
export { workDir, type WorkDir } from "./work-dir";
