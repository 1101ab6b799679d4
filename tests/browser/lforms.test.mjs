// The exported MHLW Questionnaire in LHC-Forms (the NLM's FHIR renderer, from its npm
// package's prebuilt bundle on a local server), in headless Chromium: its skip logic is the
// survey's (Q10-1 appears only after Q10 = はい; Q11 = いいえ hides Q12 to Q12-6), and the
// QuestionnaireResponse it produces for a filled form passes `survey validate` against the
// same Questionnaire. Screenshots go to artifacts/.
import { before, after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { artifacts, root, run, useBrowser } from "./harness.mjs";
import { ensureLforms, serve } from "./lforms.mjs";

const surveyFile = fileURLToPath(new URL("schema/mhlw-hospital-cybersecurity-2024.yaml", root));
const work = mkdtempSync(join(tmpdir(), "lforms-"));
const questionnaireFile = join(work, "mhlw-r4.json");
const browser = useBrowser();
let server;

before(async () => {
  ensureLforms();
  const exported = run(["fhir", "export", surveyFile, "--fhir-version", "r4", "-o", questionnaireFile]);
  assert.equal(exported.status, 0, exported.stderr.toString());
  const questionnaire = JSON.parse(readFileSync(questionnaireFile, "utf8"));
  server = await serve(questionnaire);
});
after(() => server?.close());

async function openForm() {
  const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.formReady || window.formError, null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => window.formError), undefined);
  return { page, problems };
}

/** Whether an item is on the form (LHC-Forms leaves a disabled item out). */
const shown = async (page, linkId) => (await page.locator(`[id="item-${linkId}/1"]`).count()) > 0;
/** Answers a boolean item: はい (true) or いいえ (false). */
const yesNo = (page, linkId, yes) => page.locator(`label[id="${linkId}/1|${yes}"]`).click();

test("LHC-Forms shows Q10-1 only after Q10 = はい, and Q11 = いいえ hides Q12 to Q12-6", async () => {
  const { page, problems } = await openForm();
  assert.equal(await shown(page, "Q10"), true);
  assert.equal(await shown(page, "Q10-1"), false, "Q10-1 before Q10 is answered");
  await yesNo(page, "Q10", false);
  assert.equal(await shown(page, "Q10-1"), false, "Q10-1 after Q10 = いいえ");
  await yesNo(page, "Q10", true);
  await page.locator('[id="item-Q10-1/1"]').waitFor();
  await page.screenshot({ path: join(artifacts, "lforms-mhlw-q10-yes.png"), fullPage: true });

  const q12 = ["Q12", "Q12-1", "Q12-2", "Q12-3", "Q12-4", "Q12-5", "Q12-6"];
  await yesNo(page, "Q11", true);
  await page.locator('[id="item-Q12/1"]').waitFor();
  await yesNo(page, "Q12", true);
  await page.locator('[id="item-Q12-6/1"]').waitFor();
  for (const id of q12) assert.equal(await shown(page, id), true, `${id} after Q11 = はい and Q12 = はい`);
  await yesNo(page, "Q11", false);
  await page.locator('[id="item-Q12/1"]').waitFor({ state: "detached" });
  for (const id of q12) assert.equal(await shown(page, id), false, `${id} after Q11 = いいえ`);
  await page.screenshot({ path: join(artifacts, "lforms-mhlw-q11-no.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("the QuestionnaireResponse LHC-Forms makes of a filled form passes survey validate", async () => {
  const { page, problems } = await openForm();
  const texts = {
    "Q1.name": "佐藤 一郎",
    "Q1.corporation": "社会医療法人 緑風会",
    "Q1.hospital": "緑風記念病院",
    "Q1.contact": "06-1234-5678",
  };
  for (const [linkId, text] of Object.entries(texts)) await page.locator(`[id="${linkId}/1/1"]`).fill(text);
  for (const [linkId, yes] of [["Q2", false], ["Q3", true], ["Q4", false], ["Q5", true]]) await yesNo(page, linkId, yes);
  await page.locator('[id="Q6/1"]').click();
  await page.locator("li", { hasText: "相談先がない(相談先を求めている)" }).click();
  await page.keyboard.press("Escape"); // the list of a multiple choice stays open
  await page.locator("#lhc-tools-searchResults").waitFor({ state: "hidden" });
  for (const [linkId, yes] of [["Q7", true], ["Q8", false], ["Q9", false], ["Q10", true]]) await yesNo(page, linkId, yes);
  await page.locator('[id="item-Q10-1/1"]').waitFor();
  for (const [linkId, yes] of [["Q10-1", true], ["Q11", false], ["Q13-1", false], ["Q13-2", true]]) {
    await yesNo(page, linkId, yes);
  }
  await page.screenshot({ path: join(artifacts, "lforms-mhlw-filled.png"), fullPage: true });
  const response = await page.evaluate(() =>
    LForms.Util.getFormFHIRData("QuestionnaireResponse", "R4", document.getElementById("form")),
  );
  const responseFile = join(work, "response.json");
  writeFileSync(responseFile, JSON.stringify(response, null, 2));
  writeFileSync(join(artifacts, "lforms-mhlw-response.json"), JSON.stringify(response, null, 2));
  const result = run(["validate", "--locale", "en", "--format", "json", questionnaireFile, responseFile]);
  const report = JSON.parse(result.stdout.toString());
  assert.deepEqual(report.issues, [], "the response's issues");
  assert.equal(report.valid, true);
  assert.equal(result.status, 0);
  // And the answers are the ones given.
  const answers = JSON.parse(run(["fhir", "answers", surveyFile, responseFile]).stdout.toString());
  assert.deepEqual(answers.Q6, ["none_seeking"]);
  assert.equal(answers.Q10, true);
  assert.equal(answers["Q10-1"], true);
  assert.equal(answers.Q1.contact, texts["Q1.contact"]);
  assert.deepEqual(problems, []);
  await page.close();
});
