// ajv 8 in draft-07 mode, on the generated MHLW schema, gives the native validator's verdict
// on every example and scenario answer set, the example batch and 5,000 generated answer
// sets (written with their native verdict by `cargo run --example export_answer_sets`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import Ajv from "ajv";

const root = new URL("../../", import.meta.url);
const schema = JSON.parse(readFileSync(new URL("schema/mhlw-hospital-cybersecurity-2024.schema.json", root)));
const english = JSON.parse(readFileSync(new URL("schema/mhlw-hospital-cybersecurity-2024.en.schema.json", root)));
const casesPath = process.env.ANSWER_SETS ?? new URL("target/answer-sets.jsonl", root);
const cases = readFileSync(casesPath, "utf8").trim().split("\n").map((line) => JSON.parse(line));

for (const [name, candidate] of [["ja", schema], ["en", english]]) {
  test(`ajv agrees with the native validator on ${cases.length} answer sets (${name} schema)`, () => {
    // Strict mode: ajv refuses unknown keywords and formats, so the schema must have none.
    const validate = new Ajv({ strict: true, strictTypes: false, allErrors: true }).compile(candidate);
    assert.ok(cases.length >= 5_000 + 1_200 + 3);
    const disagreements = cases.filter((c) => validate(c.answers) !== c.valid);
    assert.deepEqual(
      disagreements.slice(0, 5).map((c) => ({ name: c.name, native: c.valid, answers: c.answers })),
      [],
    );
    const valid = cases.filter((c) => c.valid).length;
    assert.ok(valid > 1_000 && cases.length - valid > 1_000, `${valid} valid of ${cases.length}`);
  });
}
