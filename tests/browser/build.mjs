// Bundles the two pages into dist/ (file:// pages, no server needed).
import { build } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";

mkdirSync("dist", { recursive: true });
for (const page of ["rjsf", "jsonforms"]) {
  await build({
    entryPoints: [`src/${page}.jsx`],
    bundle: true,
    outfile: `dist/${page}.js`,
    format: "iife",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    minify: true,
    logLevel: "warning",
  });
  writeFileSync(
    `dist/${page}.html`,
    // A description's paragraphs (note, help, citations) are separated by line breaks: keep
    // them, as the README's form-builder notes advise.
    `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${page}</title>` +
      `<style>.field-description, .description, .label { white-space: pre-line }</style></head>` +
      `<body><div id="root"></div><script src="${page}.js"></script></body></html>\n`,
  );
}
