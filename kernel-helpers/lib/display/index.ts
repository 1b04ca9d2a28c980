// Public API of the display area (rich output, the kernel bridge's public side, comms): re-exports only.
export {
  MIME, SCIFORGE_METADATA_KEY, type MimeType, type MimeBundle, type BackendStatus, type SciforgeDisplayMetadata,
  type DisplayMetadata,
} from "./mime";
export {
  inKernel, currentCell, registerFormatter, mimeBundleOf, bundle, display, clearOutput, input, interruptRequested,
  REPR, type Reprable, type KernelCell, type DisplayOptions, type Formatter, DisplayHandle, html, markdown, svg, png,
  json,
} from "./display";
export {
  registerCommTarget, unregisterCommTarget, openComm, type CommData, type CommMessage, type CommSendOptions, type Comm,
  type CommTargetHandler,
} from "./comm";
