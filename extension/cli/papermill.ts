/** `sciforge run`'s papermill forms: parameters from -f/-y/-p/-r, and `--prepare-only`. */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { notebookToHtml } from "../notebook/html";
import { writeNotebook, type Notebook } from "../notebook/nbformat";
import { PapermillRecord } from "../notebook/papermill";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { checkName, injectParameters, parseParameter, type ParameterValue } from "../notebook/parameters";
import { UsageError } from "./args";
import pkg from "../../package.json";

/**
 * Parameters from YAML text (papermill's `-f params.yaml` and `-y 'a: 1'`): a mapping of
 * names to values (YAML 1.2 core schema: dates stay strings, as papermill keeps them); empty
 * text is no parameters. Errors name `source` and line:column.
 */
export function parametersFromYaml(text: string, source: string): Record<string, ParameterValue> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const at = e.linePos?.[0];
      throw new Error(`${source}${at ? `:${at.line}:${at.col}` : ""}: not valid YAML (${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")})`, { cause: e });
    }
    throw e;
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new Error(`${source}: parameters must be a YAML mapping (name: value), not ${Array.isArray(doc) ? "a list" : typeof doc}`);
  const out: Record<string, ParameterValue> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    try {
      checkName(k);
    } catch (e) {
      throw new Error(`${source}: ${(e as Error).message}`, { cause: e });
    }
    out[k] = v as ParameterValue;
  }
  return out;
}

export const PAPERMILL_VERSION = `sciforge ${pkg.version}`;

/**
 * The parameters of a run, merged as papermill merges them: every `-f FILE` (in order), then
 * every `-y YAML`, then `-p`, then `-r`; a later one wins for the same name.
 */
export function cliParameters(flags: Record<string, string | boolean | string[] | undefined>): Record<string, ParameterValue> {
  const list = (name: string) => (flags[name] as string[] | undefined) ?? [];
  const parameters: Record<string, ParameterValue> = {};
  try {
    for (const file of list("param-file")) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (e) {
        throw new Error(`cannot read parameters file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
      }
      Object.assign(parameters, parametersFromYaml(text, file));
    }
    for (const [i, text] of list("param-yaml").entries()) Object.assign(parameters, parametersFromYaml(text, `-y #${i + 1}`));
    for (const p of list("param")) {
      const [k, v] = parseParameter(p);
      parameters[k] = v;
    }
    for (const p of list("param-raw")) {
      const [k, v] = parseParameter(p, true);
      parameters[k] = v;
    }
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return parameters;
}

/** `--prepare-only`: the parameterized notebook (and its HTML) written without running anything. */
export function prepareOnly(
  nb: Notebook,
  o: { parameters: Record<string, ParameterValue>; inputPath: string; outputPath: string; out: string; html?: string; title: string; packageRoot: string; quiet: boolean },
): number {
  injectParameters(nb, o.parameters);
  new PapermillRecord(nb, { parameters: o.parameters, inputPath: o.inputPath, outputPath: o.outputPath, version: PAPERMILL_VERSION });
  writeNotebook(o.out, nb);
  if (o.html) {
    const tmp = o.html + `.${process.pid}.tmp`;
    writeFileSync(tmp, notebookToHtml(nb, { title: o.title, packageRoot: o.packageRoot }));
    renameSync(tmp, o.html);
  }
  if (!o.quiet) process.stderr.write(`wrote ${o.out}${o.html ? ` and ${o.html}` : ""} (parameterized, not run: --prepare-only)\n`);
  return 0;
}
