/**
 * A TCP proxy on 127.0.0.1 in front of a server, to play a network drop: `cut()` breaks every
 * open connection (HTTP and WebSocket alike), `hold()` … `release()` keeps new connections
 * waiting without an answer, as a network that is down does, and connects them when it is back.
 * `cut({ halfOpen: true })` breaks only the client's side: the server's side stays open and what
 * the server sends into it is dropped, as when the server has not noticed a dead network yet.
 */
import { connect, createServer, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  cut(o?: { halfOpen?: boolean }): void;
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
  /** client socket → its upstream socket */
  const pairs = new Map<Socket, Socket>();
  const blackholes = new Set<Socket>();
  const waiting: Socket[] = [];
  let held = false;
  let accepted = 0;
  const pipe = (client: Socket) => {
    const upstream = connect(targetPort, targetHost);
    pairs.set(client, upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      pairs.delete(client);
      client.destroy();
      if (!blackholes.has(upstream)) upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  };
  const server = createServer((client) => {
    accepted++;
    if (held) {
      client.pause();
      client.on("error", () => client.destroy());
      waiting.push(client);
    } else pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const cut = (o: { halfOpen?: boolean } = {}) => {
    for (const [client, upstream] of [...pairs]) {
      if (o.halfOpen) {
        blackholes.add(upstream);
        upstream.unpipe(client);
        client.unpipe(upstream);
        upstream.on("data", () => {}); // what the server sends goes nowhere
      }
      client.destroy();
    }
    pairs.clear();
    if (!o.halfOpen) for (const c of waiting.splice(0)) c.destroy();
  };
  return {
    port: (server.address() as { port: number }).port,
    get accepted() {
      return accepted;
    },
    cut,
    hold() {
      held = true;
    },
    release() {
      held = false;
      for (const c of waiting.splice(0)) {
        if (c.destroyed) continue;
        pipe(c);
        c.resume();
      }
    },
    close() {
      cut();
      for (const b of blackholes) b.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
