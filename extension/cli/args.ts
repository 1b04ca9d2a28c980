/**
 * A small, strict argv parser: known flags only, clear messages for the rest.
 *
 * `pair` flags take a name and a value, papermill's `-p NAME VALUE`, or one `NAME=VALUE`
 * token. The rule: when the token after the flag contains `=`, it is NAME=VALUE (a name never
 * contains `=`); otherwise it is the NAME and the next token, whatever it looks like (`-0.5`
 * too), is the VALUE. Each pair is kept as "NAME=VALUE" (split at the first `=`).
 */
export interface FlagSpec {
  [name: string]: { type: "boolean" | "string" | "list" | "pair"; short?: string; aliases?: string[] };
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: FlagSpec): { positional: string[]; flags: Record<string, string | boolean | string[]> } {
  const flags: Record<string, string | boolean | string[]> = {};
  const positional: string[] = [];
  const byShort = new Map(Object.entries(spec).filter(([, s]) => s.short).map(([n, s]) => [s.short!, n]));
  const byAlias = new Map(Object.entries(spec).flatMap(([n, s]) => (s.aliases ?? []).map((a) => [a, n] as const)));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      name = byAlias.get(name) ?? name;
      inline = eq > 0 ? a.slice(eq + 1) : undefined;
    } else if (a.startsWith("-") && a.length > 1) {
      name = byShort.get(a.slice(1));
      if (!name) throw new UsageError(`unknown option ${a}`);
    } else {
      positional.push(a);
      continue;
    }
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option --${name}`);
    if (s.type === "boolean") {
      flags[name] = true;
      continue;
    }
    let value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`option --${name} needs ${s.type === "pair" ? "NAME VALUE (or NAME=VALUE)" : "a value"}`);
    if (s.type === "pair" && !value.includes("=")) {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`option --${name} ${value} needs a value (--${name} NAME VALUE, or NAME=VALUE)`);
      value = `${value}=${v}`;
    }
    if (s.type === "list" || s.type === "pair") flags[name] = [...((flags[name] as string[]) ?? []), value];
    else flags[name] = value;
  }
  return { positional, flags };
}
