// The MHLW cybersecurity checklist (sections and tables) in both builders, in headless
// Chromium: いいえ to the opening question hides every section; a row's target date appears
// only after いいえ in that row; a filled form submits, and `survey prune` of its data passes
// the native validator in strict mode.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { artifacts, open as openPage, root, run, settle, useBrowser } from "./harness.mjs";

const surveyFile = fileURLToPath(new URL("schema/mhlw-cybersecurity-checklist-2024.yaml", root));

const TABLES = {
  I1: ["I1-1"],
  I2a: ["I2a-1", "I2a-2", "I2a-3"],
  I2b: ["I2b-1", "I2b-2", "I2b-3", "I2b-4", "I2b-5"],
  I2c: ["I2c-1", "I2c-2"],
  I2d: ["I2d-1", "I2d-2", "I2d-3", "I2d-4"],
  I3: ["I3-1", "I3-2", "I3-3"],
};

/** How to find and answer a question, given its path of ids, on each page. */
const pages = {
  rjsf: {
    yesNo: (page, path, yes) => page.locator(`input[type=radio][name="root_${path.join("_")}"]`).nth(yes ? 0 : 1).check(),
    fill: (page, path, text) => settle(page, path, () => page.locator(`#root_${path.join("_")}`).fill(text), text),
    shown: async (page, path) => (await page.locator(`[id="root_${path.join("_")}"], input[name="root_${path.join("_")}"]`).count()) > 0,
  },
  jsonforms: {
    yesNo: (page, path, yes) => page.locator(`fieldset[data-path="${path.join(".")}"] input[type=radio]`).nth(yes ? 0 : 1).check(),
    fill: (page, path, text) => settle(page, path, () => page.locator(`[id="#/properties/${path.join("/properties/")}-input"]`).fill(text), text),
    shown: async (page, path) => {
      const custom = page.locator(`fieldset[data-path="${path.join(".")}"]`);
      if ((await custom.count()) > 0) return custom.isVisible();
      const input = page.locator(`[id="#/properties/${path.join("/properties/")}-input"]`);
      return (await input.count()) > 0 && input.isVisible();
    },
  },
};

const browser = useBrowser();
const open = (name) => openPage(browser(), name, "checklist");

for (const [name, driver] of Object.entries(pages)) {
  describe(`${name}: the checklist`, () => {
    test("いいえ to the opening question hides every section; はい shows them", async () => {
      const { page, problems } = await open(name);
      assert.equal(await driver.shown(page, ["I1", "I1-1", "r1_answer"]), false);
      await driver.yesNo(page, ["has_system"], true);
      await page.waitForFunction(() => window.formData?.has_system === true);
      for (const table of Object.keys(TABLES)) {
        assert.ok(await driver.shown(page, [table, TABLES[table][0], "r1_answer"]), `${table} is shown`);
      }
      await driver.yesNo(page, ["has_system"], false);
      await page.waitForFunction(() => window.formData?.has_system === false);
      for (const table of Object.keys(TABLES)) {
        assert.equal(await driver.shown(page, [table, TABLES[table][0], "r1_answer"]), false, `${table} is hidden`);
      }
      assert.deepEqual(problems, []);
      await page.close();
    });

    test("a row's target date appears only after いいえ in that row", async () => {
      const { page } = await open(name);
      await driver.yesNo(page, ["has_system"], true);
      await page.waitForFunction(() => window.formData?.has_system === true);
      assert.equal(await driver.shown(page, ["I2b", "I2b-2", "r1_target"]), false);
      await driver.yesNo(page, ["I2b", "I2b-2", "r1_answer"], false);
      await page.waitForFunction(() => window.formData?.I2b?.["I2b-2"]?.r1_answer === false);
      assert.ok(await driver.shown(page, ["I2b", "I2b-2", "r1_target"]));
      assert.equal(await driver.shown(page, ["I2b", "I2b-1", "r1_target"]), false, "only in that row");
      await driver.yesNo(page, ["I2b", "I2b-2", "r1_answer"], true);
      await page.waitForFunction(() => window.formData?.I2b?.["I2b-2"]?.r1_answer === true);
      assert.equal(await driver.shown(page, ["I2b", "I2b-2", "r1_target"]), false);
      await page.close();
    });

    test("each part's title is shown once, never repeated by its table", async () => {
      const { page } = await open(name);
      await driver.yesNo(page, ["has_system"], true);
      await page.waitForFunction(() => window.formData?.has_system === true);
      const lines = (await page.locator("body").innerText()).split("\n").map((l) => l.trim().replace(/\s*\*$/, ""));
      for (const title of ["1 体制構築", "医療情報システム全般", "サーバ", "ネットワーク機器", "端末PC", "3 インシデント発生に備えた対応"]) {
        assert.equal(lines.filter((l) => l === title).length, 1, `${title}: ${JSON.stringify(lines.filter((l) => l.includes(title)))}`);
      }
      assert.equal(lines.filter((l) => l === "体制構築" || l === "インシデント発生に備えた対応").length, 0, "no unnumbered repeat");
      await page.screenshot({ path: `${artifacts}${name}-checklist-titles.png`, fullPage: true });
      await page.close();
    });

    test("a filled form submits and its pruned data passes the native validator", async () => {
      const { page, problems } = await open(name);
      await driver.yesNo(page, ["has_system"], true);
      for (const [table, rows] of Object.entries(TABLES)) {
        for (const [i, row] of rows.entries()) {
          const yes = i !== 1;
          await driver.yesNo(page, [table, row, "r1_answer"], yes);
          await driver.fill(page, [table, row, "r1_date"], "2024-06-03");
          if (!yes) await driver.fill(page, [table, row, "r1_target"], "2024-12-27");
        }
      }
      await page.waitForFunction(() => window.formData?.I3?.["I3-3"]?.r1_date === "2024-06-03");
      await page.evaluate(() => {
        window.result = undefined;
      });
      await page.locator("button[type=submit]").click();
      const result = await (await page.waitForFunction(() => window.result)).jsonValue();
      assert.deepEqual(result.errors ?? [], []);
      assert.equal(result.ok, true);
      const pruned = JSON.parse(run(["prune", surveyFile, "-"], result.formData).stdout.toString());
      const native = run(["validate", "--format", "json", "--locale", "en", surveyFile, "-"], pruned);
      assert.deepEqual(JSON.parse(native.stdout.toString()).issues, []);
      assert.equal(native.status, 0);
      assert.deepEqual(problems, []);
      await page.screenshot({ path: `${artifacts}${name}-checklist-complete.png`, fullPage: true });
      await page.close();
    });
  });
}
