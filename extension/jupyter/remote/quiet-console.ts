/**
 * @jupyterlab/services reports its WebSocket chatter through console.debug ("Starting
 * WebSocket: …" — on stdout in Node) and console.warn ("Connection lost, reconnecting in N
 * seconds."), and prints the server's Python traceback of a failed request through
 * console.error before it rejects with the error (which Sciforge words itself). The CLI says
 * all that in its own words (RemoteStartOptions.onNote, RemoteServerError), so it drops these
 * unless SCIFORGE_DEBUG=1.
 */
export function quietServicesConsole(env: NodeJS.ProcessEnv = process.env): void {
  if (env.SCIFORGE_DEBUG === "1") return;
  console.debug = () => {};
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === "string" && /^Connection lost, reconnecting in/.test(args[0])) return;
    warn(...args);
  };
  const error = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && args[0].startsWith("Traceback (most recent call last)")) return;
    error(...args);
  };
}
