/**
 * The `sciforge` command.
 *   sciforge run NOTEBOOK.ipynb [OUT.ipynb] [...]  execute headless, papermill-style (see `sciforge run --help`)
 *   sciforge export NOTEBOOK.ipynb --html FILE  write an HTML report of a notebook as it is
 *   sciforge kernel install [--user | --prefix DIR] [--name NAME]
 *   sciforge kernel list
 */
import { writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { findKernelSpecs, installKernelSpec, KERNEL_NAME } from "../jupyter/kernelspec";
import { notebookToHtml } from "../notebook/html";
import { NotebookFormatError, readNotebook } from "../notebook/nbformat";
import { parseArgs, UsageError } from "./args";
import { runCommand, RUN_USAGE } from "./run";
import pkg from "../../package.json";

const KERNEL_INSTALL_USAGE = `usage: sciforge kernel install [--user | --prefix DIR] [--name NAME]
  Writes the kernelspec NAME (default sciforge): kernel.json runs this installation's
  dist/kernel.js with this Node. Default: the user's Jupyter data folder.
  --prefix DIR            write DIR/share/jupyter/kernels/NAME instead: on a Jupyter server image
                          (JupyterHub single-user image, Enterprise Gateway kernel image) run it
                          with the image's prefix, e.g. --prefix /usr/local or --prefix /opt/conda,
                          after installing Sciforge (and Node 20+) in the image`;

const USAGE = `sciforge ${pkg.version} — TypeScript notebooks for the whole AI pipeline

usage:
  sciforge run NOTEBOOK.ipynb [OUT.ipynb] [-p NAME VALUE | -r NAME VALUE | -f PARAMS.yaml | -y YAML ...]
                              [--tags a,b] [--html FILE] [--timeout S] [--prepare-only] [--log-output]
                              [--server URL [--token T]]
  sciforge export NOTEBOOK.ipynb --html FILE
  sciforge kernel install [--user | --prefix DIR] [--name NAME]
  sciforge kernel list
  sciforge --version

${RUN_USAGE}

${KERNEL_INSTALL_USAGE}`;

const distDir = __dirname;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "run":
      return runCommand(rest, distDir);
    case "export": {
      const { positional, flags } = parseArgs(rest, { html: { type: "string" } });
      if (positional.length !== 1 || !flags.html) throw new UsageError("usage: sciforge export NOTEBOOK.ipynb --html FILE");
      const nb = readNotebook(resolve(positional[0]));
      writeFileSync(resolve(String(flags.html)), notebookToHtml(nb, { title: basename(positional[0]), packageRoot: resolve(distDir, "..") }));
      return 0;
    }
    case "kernel": {
      const [sub, ...more] = rest;
      if (sub === "install") {
        const { flags } = parseArgs(more, { user: { type: "boolean" }, prefix: { type: "string" }, name: { type: "string" }, help: { type: "boolean", short: "h" } });
        if (flags.help) {
          console.log(KERNEL_INSTALL_USAGE);
          return 0;
        }
        if (flags.user && flags.prefix) throw new UsageError("choose --user or --prefix, not both");
        const dir = installKernelSpec({ distDir, prefix: flags.prefix as string | undefined, name: (flags.name as string | undefined) ?? KERNEL_NAME });
        console.log(`Installed kernelspec ${(flags.name as string) ?? KERNEL_NAME} in ${dir}`);
        return 0;
      }
      if (sub === "list") {
        const specs = [...findKernelSpecs().values()];
        const w = Math.max(10, ...specs.map((s) => s.name.length));
        console.log("Available kernels:");
        for (const s of specs) console.log(`  ${s.name.padEnd(w)}  ${s.dir}`);
        return 0;
      }
      throw new UsageError("usage: sciforge kernel install [--user | --prefix DIR] [--name NAME] | sciforge kernel list");
    }
    case "--version":
    case "-V":
      console.log(pkg.version);
      return 0;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command "${cmd}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof UsageError) {
      process.stderr.write(`sciforge: ${e.message}\n`);
      process.exit(2);
    }
    if (e instanceof NotebookFormatError) {
      process.stderr.write(`sciforge: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`sciforge: ${(e as Error).message ?? e}\n`);
    process.exit(1);
  },
);
