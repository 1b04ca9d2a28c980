/**
 * process.exit() in a cell (or in a timer or promise a cell started) does not tear the process
 * down under ZeroMQ (exiting with sockets open aborts it): it unwinds the cell like an exception,
 * the cell answers with a KernelExit error, and then the kernel exits cleanly with that code.
 */

/** Thrown by process.exit() inside the kernel, to unwind the cell that called it. */
export class KernelExitRequest extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
    this.name = "KernelExit";
  }
}

/** Replaces process.exit: `requested` is told the exit code (0–255), then the caller unwinds. */
export function interceptExit(requested: (code: number) => void): void {
  process.exit = function exit(code?: string | number | null): never {
    const raw = code ?? process.exitCode ?? 0;
    const n = Number(raw);
    const c = Number.isInteger(n) ? n & 0xff : 1;
    requested(c);
    throw new KernelExitRequest(c);
  } as typeof process.exit;
}
