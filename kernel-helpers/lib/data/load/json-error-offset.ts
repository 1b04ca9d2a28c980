/**
 * Finds where a JSON text stops being valid: a small recursive-descent checker that returns the
 * 0-based offset of the first offending character (or the text length when it ends too early),
 * because JSON.parse's messages do not always give a position.
 */
export function jsonErrorOffset(s: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < s.length && (s[i] === " " || s[i] === "\t" || s[i] === "\r" || s[i] === "\n")) i++;
  };
  const lit = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) if (s[i] !== word[k]) fail();
  };
  const str = () => {
    i++; // opening quote
    while (i < s.length) {
      const c = s[i];
      if (c === '"') { i++; return; }
      if (c === "\\") {
        i++;
        if (s[i] === "u") {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(s[i] ?? "")) fail();
          continue;
        }
        if (!/["\\/bfnrt]/.test(s[i] ?? "")) fail();
        i++;
        continue;
      }
      if (c < " ") fail();
      i++;
    }
    fail();
  };
  const numb = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(s.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === "{") {
      i++;
      ws();
      if (s[i] === "}") { i++; return; }
      for (;;) {
        ws();
        if (s[i] !== '"') fail();
        str();
        ws();
        if (s[i] !== ":") fail();
        i++;
        value();
        ws();
        if (s[i] === ",") { i++; continue; }
        if (s[i] === "}") { i++; return; }
        fail();
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (s[i] === "]") { i++; return; }
      for (;;) {
        value();
        ws();
        if (s[i] === ",") { i++; continue; }
        if (s[i] === "]") { i++; return; }
        fail();
      }
    }
    if (c === '"') return str();
    if (c === "t") return lit("true");
    if (c === "f") return lit("false");
    if (c === "n") return lit("null");
    return numb();
  };
  try {
    value();
    ws();
    if (i < s.length) fail();
    return -1;
  } catch (at) {
    if (typeof at === "number") return Math.min(at, s.length);
    throw at;
  }
}
