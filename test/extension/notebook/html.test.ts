/**
 * The HTML export's cases: `attachment:` images in markdown, `$math$` / `$$math$$` typeset by
 * KaTeX with its fonts inlined (offline), nbconvert's and Jupyter Book's remove-/hide- tags,
 * and ANSI colours that do not bleed (256-colour, 24-bit, bold, underline). The last test
 * opens an export in headless Chromium, offline.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { ansiToHtml, stripAnsi } from "../../../extension/notebook/ansi";
import { notebookToHtml } from "../../../extension/notebook/html";
import type { Cell, Notebook, Output } from "../../../extension/notebook/nbformat";
import { ROOT, tempDir } from "../../helpers/paths";

const md = (id: string, source: string, extra: Record<string, unknown> = {}): Cell => ({ cell_type: "markdown", id, metadata: {}, source, ...extra }) as Cell;
const code = (id: string, source: string, outputs: Output[] = [], tags?: string[], metadata: Record<string, unknown> = {}): Cell => ({
  cell_type: "code",
  id,
  source,
  metadata: { ...metadata, ...(tags ? { tags } : {}) },
  execution_count: 1,
  outputs,
});
const book = (...cells: Cell[]): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
const main = (html: string) => html.slice(html.indexOf("<main>"), html.indexOf("</main>"));
const stdout = (text: string): Output => ({ output_type: "stream", name: "stdout", text });

describe("ANSI colours", () => {
  test("a colour ends where its code ends: no bleeding into what follows", () => {
    assert.equal(ansiToHtml("\u001b[31mred\u001b[39m plain"), '<span class="ansi-red-fg">red</span> plain');
    assert.equal(ansiToHtml("\u001b[41mbg\u001b[49m plain \u001b[91mbright\u001b[0m plain"), '<span class="ansi-red-bg">bg</span> plain <span class="ansi-bright-red-fg">bright</span> plain');
    assert.equal(ansiToHtml("\u001b[1;32mok\u001b[22m green\u001b[0m done"), '<span class="ansi-green-fg ansi-bold">ok</span><span class="ansi-green-fg"> green</span> done');
  });
  test("256-colour and 24-bit colours, bold, underline, strikethrough; text escaped", () => {
    assert.equal(ansiToHtml("\u001b[38;5;208morange\u001b[0m"), '<span style="color:rgb(255, 135, 0)">orange</span>');
    assert.equal(ansiToHtml("\u001b[48;5;240mgrey\u001b[0m"), '<span style="background-color:rgb(88, 88, 88)">grey</span>');
    assert.equal(ansiToHtml("\u001b[38;2;10;20;30m<tc>\u001b[0m after"), '<span style="color:rgb(10, 20, 30)">&lt;tc&gt;</span> after');
    assert.equal(ansiToHtml("\u001b[1mb\u001b[0m\u001b[4mu\u001b[24m\u001b[9ms\u001b[0m"), '<span class="ansi-bold">b</span><span style="text-decoration:underline">u</span><span style="text-decoration:line-through">s</span>');
    // a reset after 24-bit colour leaves nothing behind
    assert.equal(ansiToHtml("\u001b[38;2;1;2;3mx\u001b[0m \u001b[3my\u001b[0m"), '<span style="color:rgb(1, 2, 3)">x</span> <span class="ansi-italic">y</span>');
  });
  test("cursor moves and hyperlinks are dropped; a carriage return shows the line's last state", () => {
    const html = ansiToHtml("\u001b[2Kline\u001b[1A \u001b]8;;https://x.example\u0007link\u001b]8;;\u0007\nepoch 1/3\r\u001b[32mepoch 3/3\u001b[0m\n");
    assert.equal(html, 'line link\n<span class="ansi-green-fg">epoch 3/3</span>\n');
    assert.equal(stripAnsi("\u001b[31mred\u001b[39m \u001b]8;;u\u0007l\u001b]8;;\u0007"), "red l");
  });
  test("in the export: classes styled, no escape codes left", () => {
    const html = notebookToHtml(book(code("c", "x", [stdout("\u001b[31mred\u001b[39m plain\n"), { output_type: "error", ename: "E", evalue: "v", traceback: ["\u001b[0;31mTypeError\u001b[0m: bad"] }])));
    assert.ok(html.includes('<pre class="stream stdout"><span class="ansi-red-fg">red</span> plain\n</pre>'));
    assert.ok(html.includes('<span class="ansi-red-fg">TypeError</span>: bad'));
    assert.match(html, /\.ansi-red-fg\{color:#[0-9a-f]{6}\}/);
    assert.ok(!html.includes("\u001b"));
  });
});

describe("attachments", () => {
  test("attachment: images in markdown (and in raw <img>) become data URIs", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>';
    const cell = md("m", "![a dot](attachment:dot%20one.png)\n\n<img src=\"attachment:shape.svg\" alt=\"s\">\n\n![gone](attachment:missing.png)", {
      attachments: { "dot one.png": { "image/png": ["iVBORw0K", "Ggo=\n"] }, "shape.svg": { "image/svg+xml": svg } },
    });
    const html = main(notebookToHtml(book(cell)));
    assert.ok(html.includes('<img src="data:image/png;base64,iVBORw0KGgo=" alt="a dot">'), html);
    assert.ok(html.includes(`<img src="data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}" alt="s">`), html);
    assert.ok(html.includes('src="attachment:missing.png"'), "an attachment that is not there is left as written");
    // another cell's attachment is not used
    const other = main(notebookToHtml(book(md("x", "![a](attachment:dot%20one.png)"), cell)));
    assert.ok(other.includes('<img src="attachment:dot%20one.png" alt="a">'));
  });
});

describe("math", () => {
  const katexFonts = (html: string) => [...html.matchAll(/font-family:(KaTeX_\w+);font-style:(\w+);font-weight:(\d+);src:url\(data:font\/woff2;base64,/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);

  test("$inline$ and $$display$$ are typeset by KaTeX; prices, \\$ and code stay text; markdown does not touch the TeX", () => {
    const html = main(
      notebookToHtml(
        book(md("m", "Loss $\\mathcal{L}_i = y_i^2$ for *each* item, costs $5 and $10, a \\$ sign, `$code$`.\n\n$$\n\\sum_{i=1}^{n} x_i \\over n\n$$\n\nand \\(a_b\\) too."), md("n", "\\begin{equation}\ne = mc^2\n\\end{equation}")),
        { packageRoot: ROOT },
      ),
    );
    assert.ok(html.includes('<annotation encoding="application/x-tex">\\mathcal{L}_i = y_i^2</annotation>'), "inline math typeset (underscores not emphasis)");
    assert.ok(html.includes("<em>each</em>"));
    assert.ok(html.includes("costs $5 and $10, a $ sign, <code>$code$</code>."), html);
    assert.match(html, /<div class="math display"><span class="katex-display">.*\\sum_\{i=1\}\^\{n\} x_i \\over n<\/annotation>/s);
    assert.ok(html.includes('<annotation encoding="application/x-tex">a_b</annotation>'));
    assert.match(html, /<math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML" display="block">.*e = mc\^2/s);
    assert.ok(html.includes('class="katex-html"'), "KaTeX's HTML (styled by its CSS)");
  });

  test("KaTeX's CSS is inlined with the fonts the math uses as data URIs (no url(fonts/…)); none without math", () => {
    const html = notebookToHtml(book(md("m", "$x^2$ and $$\\int_0^1 f$$")), { packageRoot: ROOT });
    assert.ok(html.includes(".katex{"), "KaTeX's stylesheet");
    assert.ok(!html.includes("url(fonts/"), "no font file fetched");
    assert.doesNotMatch(html, /url\((?!data:)/);
    const fonts = katexFonts(html);
    for (const f of ["KaTeX_Main normal 400", "KaTeX_Math italic 400", "KaTeX_Size2 normal 400"]) assert.ok(fonts.includes(f), `${f} in ${fonts}`);
    assert.ok(!fonts.some((f) => f.startsWith("KaTeX_Fraktur")), "unused families are left out");
    assert.ok(html.length < 400_000, `${html.length} bytes`);
    const frak = katexFonts(notebookToHtml(book(md("m", "$\\mathfrak{g}$")), { packageRoot: ROOT }));
    assert.ok(frak.some((f) => f.startsWith("KaTeX_Fraktur")), "a family in use is inlined");
    const plain = notebookToHtml(book(md("m", "no math, $5")), { packageRoot: ROOT });
    assert.ok(!plain.includes("KaTeX"));
  });

  test("macros carry over between cells; a TeX error shows the source, not a crash; text/latex outputs are typeset", () => {
    const html = main(
      notebookToHtml(
        book(md("a", "$\\newcommand{\\RR}{\\mathbb{R}}$ defines it"), md("b", "$x \\in \\RR$ and $\\frac{1}{$"), code("c", "latex()", [{ output_type: "display_data", data: { "text/latex": "$$\\alpha + \\beta$$", "text/plain": "a+b" }, metadata: {} }])),
        { packageRoot: ROOT },
      ),
    );
    assert.match(html, /<mi mathvariant="double-struck">R<\/mi>/);
    assert.match(html, /class="katex-error"[^>]*>\\frac\{1\}\{<\/span>/);
    assert.match(html, /<div class="latex"><div class="math display">.*\\alpha \+ \\beta<\/annotation>/s);
  });

  test("without KaTeX's stylesheet at hand, math is written as MathML only (browsers draw it without fonts)", () => {
    const html = notebookToHtml(book(md("m", "$x^2$")), { packageRoot: tempDir() });
    assert.ok(html.includes("<math"));
    assert.ok(!html.includes("katex-html"));
    assert.ok(!html.includes("@font-face"));
  });
});

describe("tags", () => {
  const out = (text: string) => [stdout(text)];
  test("remove-cell, remove-input, remove-output (and nbconvert's remove_cell spellings) drop those parts", () => {
    const html = main(
      notebookToHtml(
        book(
          code("a", "SECRET_A", out("OUT_A"), ["remove-cell"]),
          code("b", "SECRET_B", out("OUT_B"), ["remove_input"]),
          code("c", "SOURCE_C", out("HIDDEN_C"), ["remove-output"]),
          code("d", "SECRET_D", out("OUT_D"), ["remove_cell"]),
          md("e", "GONE_MD", { metadata: { tags: ["remove-cell"] } }),
          code("f", "SOURCE_F", out("OUT_F")),
        ),
      ),
    );
    for (const gone of ["SECRET_A", "OUT_A", "SECRET_B", "HIDDEN_C", "SECRET_D", "OUT_D", "GONE_MD", "remove_input"]) assert.ok(!html.includes(gone), gone);
    for (const kept of ["OUT_B", "SOURCE_C", "SOURCE_F", "OUT_F"]) assert.ok(html.includes(kept), kept);
    assert.equal(html.match(/<section /g)?.length, 3);
  });

  test("hide-input, hide-output, hide-cell (Jupyter Book) and JupyterLab's collapsed input fold into <details>", () => {
    const html = main(
      notebookToHtml(
        book(
          code("a", "HIDDEN_SRC", out("SHOWN_OUT"), ["hide-input"]),
          code("b", "SHOWN_SRC", out("FOLDED_OUT"), ["hide-output"]),
          code("c", "CELL_SRC", out("CELL_OUT"), ["hide-cell"]),
          code("d", "LAB_SRC", out("LAB_OUT"), undefined, { jupyter: { source_hidden: true } }),
        ),
      ),
    );
    assert.match(html, /<details class="hidden-input"><summary>Show input<\/summary><div class="input">.*HIDDEN_SRC.*<\/details><div class="outputs"><pre class="stream stdout">SHOWN_OUT/s);
    assert.match(html, /SHOWN_SRC.*<details class="hidden-output"><summary>Show output<\/summary><div class="outputs">.*FOLDED_OUT/s);
    assert.match(html, /<details class="hidden-cell"><summary>Show cell<\/summary><section class="cell code">.*CELL_SRC.*CELL_OUT.*<\/section><\/details>/s);
    assert.match(html, /<details class="hidden-input"><summary>Show input<\/summary><div class="input">.*LAB_SRC/s);
  });
});

const CHROMIUM = process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

describe("in a browser, offline", () => {
  let browser: Browser;
  before(async () => {
    if (!CHROMIUM) throw new Error("Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)");
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"] });
  });
  after(async () => {
    await browser?.close();
  });

  test("KaTeX's fonts load from the file itself, folded input is closed, colours apply only to their run", async () => {
    const file = join(tempDir(), "report.html");
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAE0lEQVR4nGP4z8DwnwGM/zMwAAAf7gP9NRsAMwAAAABJRU5ErkJggg=="; // 2×2 red
    writeFileSync(
      file,
      notebookToHtml(
        book(md("m", "Euler: $e^{i\\pi} + 1 = 0$\n\n![px](attachment:px.png)", { attachments: { "px.png": { "image/png": png } } }), code("c", "FOLDED", [stdout("\u001b[31mred\u001b[39m plain")], ["hide-input"])),
        { packageRoot: ROOT },
      ),
    );
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    const fetched: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      fetched.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
    const facts = await page.evaluate(async () => {
      await document.fonts.ready;
      const loaded: string[] = [];
      document.fonts.forEach((f) => f.status === "loaded" && loaded.push(`${f.family} ${f.style} ${f.weight}`));
      const img = document.querySelector<HTMLImageElement>(".markdown img")!;
      const red = document.querySelector(".ansi-red-fg")!;
      return {
        loaded,
        mathFont: getComputedStyle(document.querySelector(".katex .mathnormal")!).fontFamily,
        imgWidth: img.naturalWidth,
        red: getComputedStyle(red).color,
        after: getComputedStyle(red.parentElement!).color === getComputedStyle(document.body).color ? "plain" : "coloured",
        redText: red.textContent,
        folded: document.querySelector("details.hidden-input")!.hasAttribute("open"),
        sourceVisible: document.querySelector("details.hidden-input pre.source")!.checkVisibility(),
      };
    });
    await context.close();
    assert.deepEqual(fetched, []);
    assert.ok(facts.loaded.some((f) => f.startsWith("KaTeX_Math")), `fonts loaded: ${facts.loaded}`);
    assert.match(facts.mathFont, /KaTeX_Math/);
    assert.equal(facts.imgWidth, 2, "the attachment image decodes");
    assert.equal(facts.redText, "red");
    assert.notEqual(facts.red, "rgb(31, 35, 40)");
    assert.equal(facts.after, "plain", "the text after the colour is the page's colour");
    assert.equal(facts.folded, false);
    assert.equal(facts.sourceVisible, false, "hide-input's source is folded away");
  });
});
