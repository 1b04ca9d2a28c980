/** `sciforge run`: execute a notebook headless and write the executed .ipynb (and an HTML report). */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { readConnectionFile } from "../jupyter/connection";
import { KernelClient } from "../jupyter/client";
import type { KernelChannel, RunningKernel } from "../jupyter/kernel-api";
import { serverAddress, ServerAddressError, type ServerAddress } from "../jupyter/remote/settings";
import { findKernelSpec, sciforgeKernelSpec, KERNEL_NAME, DISPLAY_NAME } from "../jupyter/kernelspec";
import { LocalKernel } from "../jupyter/launcher";
import { notebookToHtml } from "../notebook/html";
import { readNotebook, writeNotebook } from "../notebook/nbformat";
import { logOutputsIf, PapermillRecord } from "../notebook/papermill";
import { CellProgress } from "../notebook/progress";
import { DEFAULT_INTERRUPT_GRACE_S, runNotebook, RunStop } from "../notebook/runner";
import { parseArgs, UsageError } from "./args";
import { stripAnsi } from "../notebook/ansi";
import { cliParameters, PAPERMILL_VERSION, prepareOnly } from "./papermill";

export const RUN_USAGE = `usage: sciforge run NOTEBOOK.ipynb [OUT.ipynb] [options]
  -p, --param NAME VALUE  set a parameter; repeatable. Also -p NAME=VALUE: a token after -p that
                          contains "=" is NAME=VALUE, else it is NAME and the next token the VALUE.
                          VALUE: True/true, False/false, None/null, numbers, JSON arrays, objects
                          and "strings" are read as such; anything else is a string
  -r, --param-raw NAME VALUE   the same, VALUE kept as the string typed
  -f, --param-file FILE   parameters from a YAML file (name: value); repeatable
  -y, --param-yaml YAML   parameters as YAML text, e.g. -y 'lr: 0.01'; repeatable
                          (merged as papermill does: -f, then -y, then -p, then -r; the later wins)
  --prepare-only          write the parameterized notebook without running it
  --log-output            write each cell's outputs to stderr as they arrive
  --tags A,B              run only cells tagged A or B (plus the untagged setup cells above them)
  --out FILE              executed notebook, as OUT.ipynb (default: NOTEBOOK.executed.ipynb)
  --inplace               write the executed notebook over the input
  --html FILE             also write a self-contained HTML report
  --timeout S             interrupt a cell that runs longer than S seconds; one that still runs
                          ${DEFAULT_INTERRUPT_GRACE_S} s later (a loop after an await) ends the run: the kernel is killed
  --allow-errors          run every cell even after one fails (exit code still 1)
  --kernel NAME           use an installed kernelspec (default: this installation's kernel;
                          with --server: the server's kernelspec, default sciforge)
  --connection-file FILE  use an already running kernel
  --server URL            run on a Jupyter server (jupyter server, JupyterHub: https://HUB/user/NAME/,
                          Enterprise Gateway); the kernel starts in the server's root folder
  --token T               the server's token (default: the URL's ?token=, else $SCIFORGE_SERVER_TOKEN,
                          else $JUPYTER_TOKEN — the environment keeps it out of shell history)
  --cwd DIR               kernel working folder (default: the notebook's folder; not with --server)
  --quiet                 no progress output
Ctrl-C (or SIGTERM) interrupts the running cell, writes the executed notebook with what ran,
shuts the kernel down and exits with 130 (143); a second Ctrl-C kills the kernel at once.
A kernel prints at most SCIFORGE_MAX_CELL_OUTPUT bytes (default 10000000) of stdout and of
stderr per cell; the rest is dropped with a note.`;

export async function runCommand(argv: string[], distDir: string): Promise<number> {
  const { positional, flags } = parseArgs(argv, {
    param: { type: "pair", short: "p", aliases: ["parameters"] },
    "param-raw": { type: "pair", short: "r", aliases: ["parameters_raw", "parameters-raw"] },
    "param-file": { type: "list", short: "f", aliases: ["parameters_file", "parameters-file"] },
    "param-yaml": { type: "list", short: "y", aliases: ["parameters_yaml", "parameters-yaml"] },
    "prepare-only": { type: "boolean", aliases: ["prepare_only"] },
    "log-output": { type: "boolean", aliases: ["log_output"] },
    tags: { type: "list" },
    out: { type: "string" },
    inplace: { type: "boolean" },
    html: { type: "string" },
    timeout: { type: "string", aliases: ["execution-timeout", "execution_timeout"] },
    "allow-errors": { type: "boolean" },
    kernel: { type: "string", short: "k" },
    "connection-file": { type: "string" },
    server: { type: "string" },
    token: { type: "string" },
    cwd: { type: "string" },
    quiet: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (flags.help) {
    console.log(RUN_USAGE);
    return 0;
  }
  if (positional.length < 1 || positional.length > 2) throw new UsageError(`run takes a notebook and optionally the output notebook (got ${positional.length} paths)\n${RUN_USAGE}`);
  if (positional[1] !== undefined && (flags.out !== undefined || flags.inplace)) throw new UsageError(`the output notebook is given twice: ${positional[1]} and ${flags.inplace ? "--inplace" : `--out ${flags.out}`}`);
  const input = resolve(positional[0]);
  const outArg = positional[1] ?? (flags.out as string | undefined);
  const out = flags.inplace ? input : resolve(outArg ?? join(dirname(input), basename(input, extname(input)) + ".executed.ipynb"));
  const timeoutS = flags.timeout !== undefined ? Number(flags.timeout) : 0;
  if (!Number.isFinite(timeoutS) || timeoutS < 0) throw new UsageError(`--timeout needs a number of seconds (got "${flags.timeout}")`);
  const parameters = cliParameters(flags);
  const tags = ((flags.tags as string[] | undefined) ?? []).flatMap((t) => t.split(",")).map((t) => t.trim()).filter(Boolean);

  let address: ServerAddress | null = null;
  if (flags.server !== undefined) {
    if (flags["connection-file"]) throw new UsageError("--server and --connection-file exclude each other");
    if (flags.cwd) throw new UsageError("--cwd sets a local kernel's folder; a kernel on a Jupyter server starts in the server's root folder");
    try {
      address = serverAddress(String(flags.server), flags.token as string | undefined);
    } catch (e) {
      if (e instanceof ServerAddressError) throw new UsageError(`--server: ${e.message}`);
      throw e;
    }
  } else if (flags.token !== undefined) {
    throw new UsageError("--token goes with --server URL");
  }

  const nb = readNotebook(input);
  const inputHash = createHash("sha256").update(readFileSync(input)).digest("hex");
  const paths = { inputPath: positional[0], outputPath: flags.inplace ? positional[0] : (outArg ?? relative(process.cwd(), out)) };
  if (flags["prepare-only"]) return prepareOnly(nb, { parameters, ...paths, out, html: flags.html ? resolve(String(flags.html)) : undefined, title: basename(input), packageRoot: join(distDir, ".."), quiet: Boolean(flags.quiet) });
  const cwd = resolve(String(flags.cwd ?? dirname(input)));
  const quiet = Boolean(flags.quiet);

  // Ctrl-C / SIGTERM: interrupt the cell, write what ran, shut the kernel down (a second one kills it).
  const stop = new RunStop();
  let kernel: RunningKernel | null = null;
  let signals = 0;
  let finishing = false;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    const key = sig === "SIGINT" ? "Ctrl-C" : sig;
    if (signals === 1) {
      process.stderr.write(`\nsciforge run: ${key}: stopping the running cell, then writing the notebook and shutting the kernel down (${key} again kills the kernel now)\n`);
      stop.stop(sig);
    } else if (signals === 2) {
      process.stderr.write(`sciforge run: ${key} again: killing the kernel\n`);
      stop.kill(sig);
      if (finishing) void kernel?.kill().catch(() => {});
    } else {
      process.exit(128 + (sig === "SIGINT" ? 2 : 15));
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let attached: KernelClient | null = null;
  if (address) {
    // @jupyterlab/services is loaded only for a kernel on a server
    const { RemoteKernel, RemoteServerError, quietServicesConsole } = await import("../jupyter/remote");
    quietServicesConsole();
    const note = (text: string) => !quiet && process.stderr.write(`sciforge run: ${text}\n`);
    const remote = await RemoteKernel.start(address, { name: flags.kernel ? String(flags.kernel) : KERNEL_NAME, onNote: note }).catch((e: unknown) => {
      if (e instanceof RemoteServerError && (e.status === 401 || e.status === 403)) {
        throw new RemoteServerError(`${e.message} (give the server's token with --token, or in SCIFORGE_SERVER_TOKEN / JUPYTER_TOKEN)`, e.status);
      }
      throw e;
    });
    note(`kernel ${remote.id} on ${address.baseUrl}`);
    kernel = remote;
  } else if (flags["connection-file"]) {
    attached = await KernelClient.connect(readConnectionFile(String(flags["connection-file"])));
  } else {
    const found = flags.kernel ? findKernelSpec(String(flags.kernel)) : { name: KERNEL_NAME, spec: sciforgeKernelSpec(distDir) };
    kernel = await LocalKernel.start(found, { cwd, env: { SCIFORGE_NOTEBOOK: input } });
  }
  const client: KernelChannel = kernel ? kernel.client : attached!;
  const running = kernel;
  let languageInfo: Record<string, unknown> | undefined;
  let banner = "";
  try {
    const info = await client.kernelInfo();
    languageInfo = info.language_info as Record<string, unknown>;
    banner = String(info.banner ?? "");
  } catch {
    // kept going: the notebook still runs
  }

  const progress = new CellProgress(process.stderr, !flags["log-output"] && Boolean(process.stderr.isTTY));
  const started = new Date();
  const record = new PapermillRecord(nb, { parameters, ...paths, version: PAPERMILL_VERSION });
  const logOutput = logOutputsIf(Boolean(flags["log-output"]));
  let result;
  try {
    result = await runNotebook(nb, client, record.hook(logOutput({
      parameters,
      tags,
      timeoutS,
      allowErrors: Boolean(flags["allow-errors"]),
      interrupt: async () => {
        if (running) await running.interrupt();
        else await attached!.interruptByMessage();
      },
      // A kernel this run started is killed when a cell does not stop; an attached one is left alone.
      kill: running ? () => running.kill() : undefined,
      stop,
      onCellStart: (e) => !quiet && progress.start(e.position, e.total, e.index + 1, (e.cell.metadata.tags ?? []) as string[]),
      onCellEnd: (e) => !quiet && progress.end(e.ok, e.seconds),
    })));
  } finally {
    finishing = true;
    if (stop.forced && kernel) await kernel.kill().catch(() => {});
    if (kernel) await kernel.shutdown();
    else attached!.close();
  }

  nb.metadata.kernelspec ??= { name: KERNEL_NAME, display_name: DISPLAY_NAME, language: "typescript" };
  if (languageInfo) nb.metadata.language_info = languageInfo;
  nb.metadata.sciforge = {
    ...((nb.metadata.sciforge as Record<string, unknown>) ?? {}),
    run: {
      parameters,
      tags,
      input: basename(input),
      input_sha256: inputHash,
      started: started.toISOString(),
      seconds: Math.round(result.seconds * 1000) / 1000,
      kernel: banner,
      ...(address ? { server: address.baseUrl } : {}),
      executed_cells: result.executed,
      status: result.stopped ? "interrupted" : result.failure ? "failed" : "ok",
      ...(result.stopped ? { stopped_by: result.stopped } : {}),
      ...(result.failure ? { failure: result.failure } : {}),
    },
  };
  record.finish(Boolean(result.failure));
  writeNotebook(out, nb);
  if (flags.html) {
    const htmlFile = resolve(String(flags.html));
    const tmp = htmlFile + `.${process.pid}.tmp`;
    writeFileSync(tmp, notebookToHtml(nb, { title: basename(input), packageRoot: join(distDir, "..") }));
    renameSync(tmp, htmlFile);
  }
  if (result.stopped) {
    const f = result.failure;
    const where = f ? ` in cell ${f.cellNumber}${result.killed ? " (the kernel was killed)" : ""}` : "";
    process.stderr.write(`sciforge run: ${basename(input)}: stopped by ${result.stopped}${where} after ${result.executed} cells\n`);
    process.stderr.write(`  executed notebook with the outputs so far: ${out}\n`);
    return result.stopped === "SIGTERM" ? 143 : 130;
  }
  if (result.failure) {
    const f = result.failure;
    process.stderr.write(`sciforge run: ${basename(input)}: cell ${f.cellNumber} failed: ${f.ename}: ${stripAnsi(f.evalue).replace(/^cell\[\d+\]:(\d+):(\d+) - /, "line $1, column $2: ")}\n`);
    process.stderr.write(`  executed notebook with the outputs so far: ${out}\n`);
    return 1;
  }
  if (!quiet) process.stderr.write(`wrote ${out}${flags.html ? ` and ${resolve(String(flags.html))}` : ""} (${result.executed} cells, ${result.seconds.toFixed(1)} s)\n`);
  return 0;
}
