// A repeating group (tests/fixtures/systems-repeat.yaml) in both builders, in headless
// Chromium: instances are added and removed; a field shows only in the instance whose answer
// enables it; a field that also tests a question outside the repeat follows that question; a
// later question that tests the number of instances appears and goes with the count; a
// filled form submits, and `survey prune` of its data passes the native validator.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { artifacts, open as openPage, root, run, settle, useBrowser } from "./harness.mjs";

const surveyFile = fileURLToPath(new URL("tests/fixtures/systems-repeat.yaml", root));

/** How to reach the repeat's instances and their fields on each page. */
const pages = {
  rjsf: {
    // RJSF starts a repeat with `minItems: 1` holding one (empty) instance.
    initial: 1,
    add: (page) => page.locator("#root_systems__add").click(),
    remove: (page, i) => page.locator(`#root_systems_${i}__remove`).click(),
    yesNo: (page, path, yes) => page.locator(`input[type=radio][name="root_${path.join("_")}"]`).nth(yes ? 0 : 1).check(),
    fill: (page, path, text) => settle(page, path, () => page.locator(`#root_${path.join("_")}`).fill(text), text),
    shown: async (page, path) => (await page.locator(`[id="root_${path.join("_")}"], input[name="root_${path.join("_")}"]`).count()) > 0,
  },
  jsonforms: {
    initial: 0,
    add: (page) => page.locator(".array-control-layout:visible button.button-add").click(),
    remove: (page, i) => page.locator(".array-control-layout:visible button.button-delete").nth(i).click(),
    // The vanilla renderers show a boolean as a checkbox: checked is yes, checked then
    // cleared is no.
    yesNo: async (page, path, yes) => {
      const box = field(page, path);
      await box.check();
      if (!yes) await box.uncheck();
    },
    fill: (page, path, text) => settle(page, path, () => field(page, path).fill(text), text),
    shown: async (page, path) => {
      const input = field(page, path);
      return (await input.count()) > 0 && input.isVisible();
    },
  },
};

/** A JSON Forms input: top-level by its id, a field of an instance inside that instance
 * (JSON Forms numbers repeated ids, so they are found by prefix). */
function field(page, path) {
  if (path.length === 1) return page.locator(`[id="#/properties/${path[0]}-input"]`);
  const [, i, id] = path;
  return page
    .locator(".array-control-layout:visible .children > div")
    .nth(i)
    .locator(`[id^="#/properties/${id}"][id$="-input"]:visible`);
}

const browser = useBrowser();
const open = (name) => openPage(browser(), name, "repeat");

const count = (page) => page.evaluate(() => window.formData?.systems?.length ?? 0);

for (const [name, driver] of Object.entries(pages)) {
  describe(`${name}: a repeating group`, () => {
    test("instances are added and removed, and each has its own skip logic", async () => {
      const { page, problems } = await open(name);
      await driver.yesNo(page, ["external"], false);
      for (let n = driver.initial; n < 2; n += 1) await driver.add(page);
      await page.waitForFunction(() => window.formData?.systems?.length === 2);
      await driver.fill(page, ["systems", 0, "name"], "電子カルテ");
      await driver.fill(page, ["systems", 1, "name"], "PACS");
      await driver.yesNo(page, ["systems", 0, "remote"], false);
      await driver.yesNo(page, ["systems", 1, "remote"], true);
      await page.waitForFunction(() => window.formData?.systems?.[1]?.remote === true);
      assert.equal(await driver.shown(page, ["systems", 0, "vendor"]), false, "not in the first instance");
      assert.ok(await driver.shown(page, ["systems", 1, "vendor"]), "in the second instance");
      assert.equal(await driver.shown(page, ["systems", 1, "gateway"]), false, "gateway waits for external");
      // Two instances: the inventory question; one: none.
      assert.ok(await driver.shown(page, ["inventory"]));
      await driver.remove(page, 0);
      await page.waitForFunction(() => window.formData?.systems?.length === 1);
      assert.equal(await page.evaluate(() => window.formData.systems[0].name), "PACS");
      assert.equal(await driver.shown(page, ["inventory"]), false);
      assert.ok(await driver.shown(page, ["systems", 0, "vendor"]), "the remaining instance keeps its state");
      await driver.add(page);
      await page.waitForFunction(() => window.formData?.systems?.length === 2);
      assert.equal(await driver.shown(page, ["systems", 1, "vendor"]), false, "a new instance starts unanswered");
      assert.equal(await count(page), 2);
      assert.deepEqual(problems, []);
      await page.close();
    });

    test("a field that tests a question outside the repeat follows it", async () => {
      const { page } = await open(name);
      await driver.yesNo(page, ["external"], false);
      if (driver.initial === 0) await driver.add(page);
      await page.waitForFunction(() => window.formData?.systems?.length === 1);
      await driver.yesNo(page, ["systems", 0, "remote"], true);
      await page.waitForFunction(() => window.formData?.systems?.[0]?.remote === true);
      assert.equal(await driver.shown(page, ["systems", 0, "gateway"]), false);
      await driver.yesNo(page, ["external"], true);
      await page.waitForFunction(() => window.formData?.external === true);
      assert.ok(await driver.shown(page, ["systems", 0, "gateway"]));
      await driver.yesNo(page, ["external"], false);
      await page.waitForFunction(() => window.formData?.external === false);
      assert.equal(await driver.shown(page, ["systems", 0, "gateway"]), false);
      await page.close();
    });

    test("a filled form submits and its pruned data passes the native validator", async () => {
      const { page, problems } = await open(name);
      await driver.yesNo(page, ["external"], true);
      for (let n = driver.initial; n < 2; n += 1) await driver.add(page);
      await page.waitForFunction(() => window.formData?.systems?.length === 2);
      for (const [i, remote] of [false, true].entries()) {
        await driver.fill(page, ["systems", i, "name"], `system ${i}`);
        await driver.yesNo(page, ["systems", i, "remote"], remote);
      }
      await page.waitForFunction(() => window.formData?.systems?.[1]?.remote === true);
      await driver.fill(page, ["systems", 1, "vendor"], "保守会社");
      await driver.yesNo(page, ["systems", 1, "gateway"], true);
      await driver.yesNo(page, ["inventory"], true);
      await page.waitForFunction(() => window.formData?.inventory === true);
      await page.evaluate(() => {
        window.result = undefined;
      });
      await page.locator("button[type=submit]").click();
      const result = await (await page.waitForFunction(() => window.result)).jsonValue();
      assert.deepEqual(result.errors ?? [], []);
      assert.equal(result.ok, true);
      const pruned = JSON.parse(run(["prune", surveyFile, "-"], result.formData).stdout.toString());
      assert.equal(pruned.systems.length, 2);
      const native = run(["validate", "--format", "json", "--locale", "en", surveyFile, "-"], pruned);
      assert.deepEqual(JSON.parse(native.stdout.toString()).issues, []);
      assert.equal(native.status, 0);
      assert.deepEqual(problems, []);
      await page.screenshot({ path: `${artifacts}${name}-repeat-complete.png`, fullPage: true });
      await page.close();
    });
  });
}
