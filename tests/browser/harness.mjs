// What the page tests of one survey share: headless Chromium for the file, a page of a
// builder on a survey (`dist/NAME.html?survey=...`) with its page errors collected, and the
// `survey` command on JSON input. Not a test file of its own.
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = new URL("./", import.meta.url);
export const root = new URL("../../", import.meta.url);
export const artifacts = fileURLToPath(new URL("artifacts/", here));
mkdirSync(artifacts, { recursive: true });
const binary = process.env.SURVEY_BIN ?? fileURLToPath(new URL("target/release/survey", root));

/** Launches Chromium before the file's tests and closes it after; `browser()` is it. */
export function useBrowser() {
  let browser;
  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  after(async () => browser?.close());
  return () => browser;
}

/** A builder's page (`rjsf`, `jsonforms`) on `survey`, once its first input is there;
 * dialogs (JSON Forms asks before it deletes an array item) are accepted. */
export async function open(browser, name, survey) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("dialog", (dialog) => dialog.accept());
  await page.goto(`${new URL(`dist/${name}.html`, here).href}?survey=${survey}`);
  await page.locator("input").first().waitFor();
  return { page, problems };
}

/** Runs the `survey` command with `input` as JSON on standard input. */
export function run(args, input) {
  const result = spawnSync(binary, args, { input: JSON.stringify(input) });
  assert.equal(result.error, undefined, `cannot run ${binary}`);
  return result;
}

/** Acts on the form (picks an option, fills a field) and waits until the form's data at
 * `path` (a list of keys) holds `expected`, or any value when it is `undefined`; acts again
 * if a re-render of the form swallowed the change (a field does not say whether the app
 * took it). */
export async function settle(page, path, act, expected) {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await act();
    const held = await page
      .waitForFunction(
        ([keys, want]) => {
          const value = keys.reduce((data, key) => data?.[key], window.formData);
          return want === undefined ? value !== undefined : value === want;
        },
        [path, expected],
        { timeout: 3_000 },
      )
      .then(() => true, () => false);
    if (held) return;
  }
  assert.fail(`${path.join("/")}: the form never took the answer`);
}
