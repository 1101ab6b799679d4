// The HTML report of the MHLW batch in headless Chromium: one self-contained page (nothing is
// fetched but the file itself), its Japanese text rendered, the charts of Q6 (a multiple
// choice, one bar per choice) and Q12-1 (a single choice, one bar per value) there; a
// screenshot goes to artifacts/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { artifacts, root, run, useBrowser } from "./harness.mjs";

const browser = useBrowser();

test("the MHLW batch report renders its charts, offline", async () => {
  const page = join(artifacts, "mhlw-report.html");
  const result = run([
    "report",
    fileURLToPath(new URL("schema/mhlw-hospital-cybersecurity-2024.yaml", root)),
    fileURLToPath(new URL("schema/examples/mhlw-batch.jsonl", root)),
    "-o",
    page,
  ]);
  // The batch holds invalid answer sets: the figures count the valid ones, and the exit code
  // says some were invalid.
  assert.equal(result.status, 1, result.stderr.toString());
  const tab = await browser().newPage({ viewport: { width: 1100, height: 900 } });
  const fetched = [];
  tab.on("request", (request) => {
    if (!request.url().startsWith("file:")) fetched.push(request.url());
  });
  await tab.goto(pathToFileURL(page).href);
  assert.deepEqual(fetched, [], "the page fetches nothing");
  assert.match(await tab.locator("h1").innerText(), /病院における医療情報システム/);
  // What the figures stand on, first: 704 valid answer sets counted, 496 left out.
  assert.match(await tab.locator(".totals").innerText(), /集計対象: 704/);
  assert.match(await tab.locator(".totals strong").first().innerText(), /集計から除外: 496/);
  // Q6: six choices, six bars; Q12-1: one bar per value given.
  assert.equal(await tab.locator("#chart-Q6 rect").count(), 6);
  assert.match(await tab.locator("#q-Q6 h2").innerText(), /サイバーセキュリティに係る相談先/);
  assert.ok((await tab.locator("#chart-Q12_1 rect").count()) >= 5);
  assert.match(await tab.locator("#q-Q12_1 .counts").innerText(), /Q12で「はい」と回答した場合/);
  // Japanese glyphs take room: a rendered label is wider than its replacement boxes would be
  // narrow (a missing font still has width, so compare with a Latin string of the same length).
  const widths = await tab.evaluate(() => {
    const probe = (text) => {
      const span = document.createElement("span");
      span.textContent = text;
      document.body.append(span);
      const width = span.getBoundingClientRect().width;
      span.remove();
      return width;
    };
    return { ja: probe("相談先がない"), latin: probe("iiiiii") };
  });
  assert.ok(widths.ja > widths.latin * 2, `Japanese glyphs rendered: ${JSON.stringify(widths)}`);
  await tab.screenshot({ path: join(artifacts, "mhlw-report.png"), fullPage: true });
  await tab.close();
});
