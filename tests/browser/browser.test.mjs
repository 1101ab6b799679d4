// The generated MHLW form schema in real form builders, in headless Chromium:
// react-jsonschema-form (schema only) and JSON Forms (schema and generated UI schema), in
// Japanese and English. Each page must hide and show the conditional questions as the skip
// logic says; show no error before the respondent submits; show, on submit, exactly the
// native validator's messages for the form's data (never ajv's); stay submittable whatever
// answers a respondent changes, with `survey prune` turning what it submits into an answer
// set the native validator accepts in strict mode. Screenshots go to artifacts/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { settle } from "./harness.mjs";

const here = new URL("./", import.meta.url);
const root = new URL("../../", import.meta.url);
const artifacts = fileURLToPath(new URL("artifacts/", here));
mkdirSync(artifacts, { recursive: true });

const CONDITIONAL = ["Q10-1", "Q12", "Q12-1", "Q12-2", "Q12-3", "Q12-4", "Q12-5", "Q12-6"];
const Q12_FAMILY = ["Q12", "Q12-1", "Q12-2", "Q12-3", "Q12-4", "Q12-5", "Q12-6"];

/** Presses the page's submit button; what the page reports of the submit. */
async function submit(page) {
  await page.evaluate(() => {
    window.result = undefined;
  });
  await page.locator("button[type=submit]").click();
  return (await page.waitForFunction(() => window.result)).jsonValue();
}

/** How to find and answer a question on each page. */
const pages = {
  rjsf: {
    async shown(page, id) {
      return (await page.locator(`input[name="root_${id}"], select#root_${id}`).count()) > 0;
    },
    async yesNo(page, id, yes) {
      await page.locator(`input[type=radio][name="root_${id}"]`).nth(yes ? 0 : 1).check();
    },
    async tick(page, id, index) {
      await page.locator(`input[type=checkbox][name="root_${id}"]`).nth(index).check();
    },
    async choose(page, id, label) {
      await settle(page, [id], () => page.locator(`select#root_${id}`).selectOption({ label }));
    },
    async fill(page, group, field, text) {
      await settle(page, [group, field], () => page.locator(`#root_${group}_${field}`).fill(text), text);
    },
    submit,
    async shownErrors(page) {
      return page.locator(".error-detail li, .panel-danger li").allInnerTexts();
    },
  },
  jsonforms: {
    async shown(page, id) {
      const custom = page.locator(`fieldset[data-path="${id}"]`);
      if ((await custom.count()) > 0) return custom.isVisible();
      return page.locator(`[id="#/properties/${id}-input"]`).isVisible();
    },
    async yesNo(page, id, yes) {
      await page.locator(`fieldset[data-path="${id}"] input[type=radio]`).nth(yes ? 0 : 1).check();
    },
    async tick(page, id, index) {
      await page.locator(`fieldset[data-path="${id}"] input[type=checkbox]`).nth(index).check();
    },
    async choose(page, id, label) {
      await settle(page, [id], () => page.locator(`[id="#/properties/${id}-input"]`).selectOption({ label }));
    },
    async fill(page, group, field, text) {
      await settle(page, [group, field], () => page.locator(`[id="#/properties/${group}/properties/${field}-input"]`).fill(text), text);
    },
    submit,
    async shownErrors(page) {
      const texts = await page.locator(".validation_error, .error-summary li").allInnerTexts();
      return texts.flatMap((t) => t.split("\n")).filter((t) => t.trim() !== "");
    },
  },
};

/** The messages shown after a submit: those the page reports and those on screen. */
async function submitErrors(driver, page) {
  const result = await driver.submit(page);
  const shown = await driver.shownErrors(page);
  const formData = result.formData ?? (await page.evaluate(() => window.formData ?? {}));
  return { ok: result.ok, reported: result.ok ? [] : result.errors, shown, formData };
}

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => browser?.close());

async function open(name, locale = "ja") {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`${new URL(`dist/${name}.html`, here).href}?locale=${locale}`);
  await page.locator("input").first().waitFor();
  return { page, problems };
}

async function shownOf(driver, page, ids) {
  const out = [];
  for (const id of ids) if (await driver.shown(page, id)) out.push(id);
  return out;
}

const binary = process.env.SURVEY_BIN ?? fileURLToPath(new URL("target/release/survey", root));
const surveyFile = fileURLToPath(new URL("schema/mhlw-hospital-cybersecurity-2024.yaml", root));

/** The native verdict (strict) on form data, from the `survey` command. */
function nativeReport(formData, locale = "en") {
  const run = spawnSync(binary, ["validate", "--format", "json", "--locale", locale, surveyFile, "-"], { input: JSON.stringify(formData) });
  assert.equal(run.error, undefined, `cannot run ${binary}: build it with cargo build --release --package survey-cli`);
  return { status: run.status, report: JSON.parse(run.stdout.toString()) };
}

/** What the server stores: `survey prune` on the submitted data. */
function pruned(formData) {
  const run = spawnSync(binary, ["prune", surveyFile, "-"], { input: JSON.stringify(formData) });
  assert.equal(run.status, 0, run.stderr.toString());
  return JSON.parse(run.stdout.toString());
}

/** Asserts that every message shown is the native validator's for the form's data, and
 * that the native messages of `codes` at `paths` are among them. */
function assertNative(errors, formData, locale, expected) {
  const native = nativeReport(formData, locale).report.issues;
  const nativeMessages = native.map((i) => i.message);
  for (const message of [...errors.reported, ...errors.shown]) {
    assert.ok(nativeMessages.includes(message), `${message} is not a native message: ${JSON.stringify(nativeMessages)}`);
    assert.doesNotMatch(message, /must|should|NOT/);
  }
  for (const [path, code] of expected) {
    const issue = native.find((i) => i.path === path && i.code === code);
    assert.ok(issue, `no native ${code} at ${path}: ${JSON.stringify(native)}`);
    assert.ok(errors.reported.includes(issue.message), `${issue.message} is not reported: ${JSON.stringify(errors.reported)}`);
    assert.ok(errors.shown.includes(issue.message), `${issue.message} is not shown: ${JSON.stringify(errors.shown)}`);
  }
}

for (const [name, driver] of Object.entries(pages)) {
  describe(name, () => {
    test("an empty form shows no conditional question", async () => {
      const { page, problems } = await open(name);
      assert.deepEqual(await shownOf(driver, page, CONDITIONAL), []);
      assert.ok(await driver.shown(page, "Q10"));
      assert.equal(await page.locator("input:checked").count(), 0, "nothing is answered in advance");
      assert.deepEqual(problems, []);
      await page.close();
    });

    test("Q10 はい shows Q10-1 and いいえ hides it again", async () => {
      const { page } = await open(name);
      await driver.yesNo(page, "Q10", true);
      assert.deepEqual(await shownOf(driver, page, CONDITIONAL), ["Q10-1"]);
      await driver.yesNo(page, "Q10", false);
      assert.deepEqual(await shownOf(driver, page, CONDITIONAL), []);
      await page.close();
    });

    test("Q11 and Q12 はい show the backup questions; Q11 いいえ hides all seven", async () => {
      const { page } = await open(name);
      await driver.yesNo(page, "Q11", true);
      assert.deepEqual(await shownOf(driver, page, Q12_FAMILY), ["Q12"]);
      await driver.yesNo(page, "Q12", true);
      assert.deepEqual(await shownOf(driver, page, Q12_FAMILY), Q12_FAMILY);
      await driver.yesNo(page, "Q11", false);
      assert.deepEqual(await shownOf(driver, page, Q12_FAMILY), []);
      await page.close();
    });

    test("the complete yes path has no error and the native validator accepts its data", async () => {
      const { page, problems } = await open(name);
      const respondent = { name: "山田 花子", corporation: "医療法人社団 青葉会", hospital: "青葉中央病院", contact: "03-1234-5678" };
      for (const [field, text] of Object.entries(respondent)) await driver.fill(page, "Q1", field, text);
      for (const id of ["Q2", "Q3", "Q4", "Q5", "Q7", "Q8", "Q9", "Q10"]) await driver.yesNo(page, id, true);
      await driver.tick(page, "Q6", 0);
      await driver.tick(page, "Q6", 1);
      await driver.yesNo(page, "Q10-1", true);
      await driver.yesNo(page, "Q11", true);
      await driver.yesNo(page, "Q12", true);
      // The backup questions appear with Q12: answer them once they are there, and go on
      // once the form holds every answer (a slow host re-renders in between).
      await page.waitForFunction(() => window.formData?.Q12 === true);
      await driver.choose(page, "Q12-1", "毎日");
      await driver.choose(page, "Q12-2", "3つ以上");
      await driver.choose(page, "Q12-3", "2世代");
      await driver.choose(page, "Q12-4", "2種類");
      for (const id of ["Q12-5", "Q12-6", "Q13-1", "Q13-2"]) await driver.yesNo(page, id, true);
      await page.waitForFunction(() =>
        ["Q12-1", "Q12-2", "Q12-3", "Q12-4", "Q12-5", "Q12-6", "Q13-1"].every((id) => window.formData?.[id] !== undefined) &&
        window.formData?.["Q13-2"] === true,
      );
      const errors = await submitErrors(driver, page);
      assert.deepEqual([errors.reported, errors.shown], [[], []]);
      const formData = errors.formData;
      assert.equal(formData["Q12-3"], "two");
      const { status, report } = nativeReport(formData);
      assert.deepEqual(report.issues, []);
      assert.equal(status, 0);
      assert.deepEqual(problems, []);
      await page.screenshot({ path: `${artifacts}${name}-complete.png`, fullPage: true });
      await page.close();
    });

    test("changing answers that hide questions leaves the form submittable, and prune stores what the skip logic allows", async () => {
      const { page } = await open(name);
      await fillAllButSkipLogic(driver, page);
      await driver.yesNo(page, "Q10", true);
      await driver.yesNo(page, "Q10-1", true);
      await driver.yesNo(page, "Q10", false);
      await driver.yesNo(page, "Q11", true);
      await driver.yesNo(page, "Q12", true);
      await driver.choose(page, "Q12-1", "毎日");
      await driver.choose(page, "Q12-2", "3つ以上");
      await driver.choose(page, "Q12-3", "2世代");
      await driver.choose(page, "Q12-4", "2種類");
      for (const id of ["Q12-5", "Q12-6"]) await driver.yesNo(page, id, true);
      await driver.yesNo(page, "Q11", false);
      await page.waitForFunction(() => window.formData?.Q11 === false);
      assert.deepEqual(await shownOf(driver, page, CONDITIONAL), []);
      const errors = await submitErrors(driver, page);
      assert.deepEqual([errors.reported, errors.shown], [[], []]);
      const stored = pruned(errors.formData);
      for (const id of CONDITIONAL) assert.equal(stored[id], undefined, `${id} is stored`);
      const { status, report } = nativeReport(stored);
      assert.deepEqual(report.issues, []);
      assert.equal(status, 0);
      await page.close();
    });

    for (const locale of ["ja", "en"]) {
      test(`${locale}: no error before a submit; an empty submit shows the native messages`, async () => {
        const { page, problems } = await open(name, locale);
        assert.deepEqual(await driver.shownErrors(page), []);
        const errors = await submitErrors(driver, page);
        assert.equal(errors.ok, false);
        // RJSF starts a group and a multiple choice as `{}` and `[]`, JSON Forms leaves them
        // out: the native messages differ there (Q1/name or Q1 is missing); both are checked
        // against the native report on the form's own data.
        assertNative(errors, errors.formData, locale, [
          ["/Q2", "missing_required"],
          ["/Q13-2", "missing_required"],
        ]);
        assert.deepEqual(problems, []);
        await page.screenshot({ path: `${artifacts}${name}-${locale}-empty-submit.png`, fullPage: true });
        await page.close();
      });

      test(`${locale}: Q6 with 自医療機関 and an exclusive choice shows the native message`, async () => {
        const { page } = await open(name, locale);
        await driver.tick(page, "Q6", 0);
        await driver.tick(page, "Q6", 4);
        // Both builders report changes asynchronously; wait for the form data to catch up.
        await page.waitForFunction(() => window.formData?.Q6?.length === 2);
        const formData = await page.evaluate(() => window.formData);
        const errors = await submitErrors(driver, page);
        assertNative(errors, formData, locale, [["/Q6", "exclusive_choice_combined"]]);
        await page.screenshot({ path: `${artifacts}${name}-${locale}-q6-exclusive.png`, fullPage: true });
        await page.close();
      });

      test(`${locale}: every skip note and citation is on the page with its question`, async () => {
        const { page } = await open(name, locale);
        // Every question of the survey shown: Q10-1 and the Q12 family need their yes.
        await driver.yesNo(page, "Q10", true);
        await driver.yesNo(page, "Q11", true);
        await driver.yesNo(page, "Q12", true);
        await page.waitForFunction(() => window.formData?.Q12 === true);
        await driver.shown(page, "Q12-6");
        const squeeze = (text) => text.replace(/\s+/g, "");
        const onPage = squeeze(await page.locator("body").innerText());
        const texts = guidance(locale);
        assert.equal(texts.length, 3 + 19, "three skip notes and nineteen citations");
        for (const text of texts) assert.ok(onPage.includes(squeeze(text)), `not on the page: ${text}`);
        await page.screenshot({ path: `${artifacts}${name}-${locale}-notes-and-citations.png`, fullPage: true });
        await page.close();
      });
    }
  });
}

/** The skip notes and citations of the MHLW survey in `locale`: the labels of its generated
 * JSON Forms UI schema (RJSF shows the same texts in the JSON Schema's descriptions). */
function guidance(locale) {
  const file = locale === "ja" ? "mhlw-hospital-cybersecurity-2024.uischema.json" : "mhlw-hospital-cybersecurity-2024.en.uischema.json";
  const ui = JSON.parse(readFileSync(fileURLToPath(new URL(`schema/${file}`, root)), "utf8"));
  const out = [];
  (function walk(element) {
    for (const child of element.elements ?? []) {
      if (child.type === "Label") out.push(child.text);
      walk(child);
    }
  })(ui);
  return out;
}

/** Answers every question outside the skip logic's reach (Q1 to Q9, Q13-1, Q13-2). */
async function fillAllButSkipLogic(driver, page) {
  const respondent = { name: "山田 花子", corporation: "医療法人社団 青葉会", hospital: "青葉中央病院", contact: "03-1234-5678" };
  for (const [field, text] of Object.entries(respondent)) await driver.fill(page, "Q1", field, text);
  for (const id of ["Q2", "Q3", "Q4", "Q5", "Q7", "Q8", "Q9", "Q13-1", "Q13-2"]) await driver.yesNo(page, id, true);
  await driver.tick(page, "Q6", 1);
}
