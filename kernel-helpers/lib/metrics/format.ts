/**
 * Number formatting identical to Python's: `format(x, ".2f")` (round half to even on the exact
 * binary value) and `str(float)` (shortest repr, "1.0", "1e-05"), so report text matches sklearn's.
 */

/** Python's `format(x, f".{digits}f")`. */
export function pyFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Math.abs(x) >= 1e21) return BigInt(Math.round(x)).toString() + (digits > 0 ? "." + "0".repeat(digits) : "");
  let s = x.toFixed(digits);
  // toFixed rounds exact ties away from zero; Python rounds them to even. Detect an exact tie.
  const d = Math.min(100, digits + 40);
  const exact = Math.abs(x).toFixed(d);
  const dot = exact.indexOf(".");
  const tail = exact.slice(dot + 1 + digits);
  if (tail[0] === "5" && /^50*$/.test(tail)) {
    const lastKept = digits === 0 ? exact[dot - 1] : exact[dot + digits];
    if (Number(lastKept) % 2 === 0) {
      // Truncate instead of rounding up.
      const kept = exact.slice(0, digits === 0 ? dot : dot + 1 + digits);
      s = (x < 0 ? "-" : "") + kept;
    }
  }
  return s;
}

/** Python's `str(x)` for a float (always with a decimal point or exponent). */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expStr] = x.toExponential().split("e");
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) {
    const e = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : String(Math.abs(exp));
    return `${mant}e${exp < 0 ? "-" : "+"}${e}`;
  }
  const s = String(x);
  return s.includes(".") ? s : s + ".0";
}

/** Python's `format(s, f">{width}")` counting code points. */
export function padStart(s: string, width: number): string {
  const len = [...s].length;
  return len >= width ? s : " ".repeat(width - len) + s;
}
