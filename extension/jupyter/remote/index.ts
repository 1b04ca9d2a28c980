/**
 * Kernels on a Jupyter server (JupyterHub, Enterprise Gateway, jupyter server) over its REST +
 * WebSocket API. Importing this loads @jupyterlab/services: the CLI and VS Code import it
 * dynamically, only for a kernel on a server (./settings parses URLs without it).
 */
export { serverAddress, TOKEN_ENV, ServerAddressError, type ServerAddress } from "./settings";
export { RemoteServerError, describeServerError } from "./errors";
export { probeServer, requireKernelSpec, serverSettings, type ServerInfo } from "./server";
export { RemoteKernel, type RemoteStartOptions } from "./remote-kernel";
export { RemoteKernelClient } from "./remote-client";
export type { LivenessOptions } from "./liveness";
export { quietServicesConsole } from "./quiet-console";
