/** Kernels on a Jupyter server (JupyterHub, Enterprise Gateway, jupyter server) over its REST + WebSocket API. */
export { serverAddress, serverSettings, TOKEN_ENV, ServerAddressError, type ServerAddress } from "./settings";
export { RemoteServerError, describeServerError } from "./errors";
export { probeServer, requireKernelSpec, type ServerInfo } from "./server";
export { RemoteKernel, type RemoteStartOptions } from "./remote-kernel";
export { RemoteKernelClient } from "./remote-client";
export type { LivenessOptions } from "./liveness";
