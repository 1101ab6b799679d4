// The error messages are complete: on the MHLW survey and 150 generated surveys, every error
// that ajv reports on the generated schema maps, through forms/survey-messages.js, to a
// native issue of the same path and code with the same message, in both locales and in both
// builders' error shapes (ajv's own, as JSON Forms gets them, and RJSF's). And the form
// schema gives the native lenient verdict. Cases are written by
// `cargo run --example export_form_cases`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import { nativeIssues } from "../../forms/survey-messages.js";

const root = new URL("../../", import.meta.url);
const path = process.env.FORM_CASES ?? new URL("target/form-cases.jsonl", root);
const surveys = readFileSync(path, "utf8").trim().split("\n").map((line) => JSON.parse(line));

/** Whether the answers hold a number JavaScript cannot hold exactly (past 2^53): JSON
 * Schema validators in JavaScript read every number as a double, so i64's ends are beyond
 * them; the native validator and the `jsonschema` crate decide those. */
function unsafe(value) {
  if (typeof value === "number") return !Number.isSafeInteger(value) && Math.abs(value) >= 2 ** 53;
  if (value !== null && typeof value === "object") return Object.values(value).some(unsafe);
  return false;
}

/** An ajv error as RJSF's validator hands it to `transformErrors`. */
function rjsfShape(error) {
  let property = error.instancePath.replace(/\//g, ".");
  if (error.params && "missingProperty" in error.params) {
    property = property ? `${property}.${error.params.missingProperty}` : error.params.missingProperty;
  }
  return { name: error.keyword, property, params: error.params, message: error.message, schemaPath: error.schemaPath, stack: "" };
}

test(`every ajv error maps to the native issue and message (${surveys.length} surveys)`, () => {
  let errors = 0;
  let invalid = 0;
  for (const survey of surveys) {
    const validate = new Ajv({ strict: true, strictTypes: false, strictRequired: false, allErrors: true, verbose: true }).compile(survey.schema);
    for (const [index, { answers, issues }] of survey.cases.entries()) {
      if (unsafe(answers)) continue;
      const valid = validate(answers);
      if (valid) continue;
      invalid += 1;
      errors += validate.errors.length;
      for (const locale of ["ja", "en"]) {
        const native = issues[locale];
        for (const [shape, list] of [
          ["ajv", validate.errors],
          ["rjsf", validate.errors.map(rjsfShape)],
        ]) {
          const mapped = nativeIssues(survey.messages[locale], list, answers);
          const context = `${survey.name}, answer set ${index}, ${locale}, ${shape}: ${JSON.stringify(answers)}`;
          assert.ok(mapped.length > 0, `${context}: ajv's errors map to nothing\n${JSON.stringify(validate.errors)}`);
          for (const issue of mapped) {
            const match = native.find((n) => n.path === issue.path && n.code === issue.code && (issue.rule === undefined || n.rule === issue.rule));
            assert.ok(match, `${context}: ${issue.code} at ${issue.path} is no native issue\nnative: ${JSON.stringify(native)}`);
            assert.equal(issue.message, match.message, context);
          }
        }
      }
    }
  }
  assert.ok(invalid > 1_000, `${invalid} invalid answer sets`);
  assert.ok(errors > invalid);
});

test("the form schema gives the native lenient verdict", () => {
  for (const survey of surveys) {
    const validate = new Ajv({ strict: true, strictTypes: false, strictRequired: false, allErrors: true }).compile(survey.form_schema);
    for (const [index, { answers, lenient_valid: lenient }] of survey.cases.entries()) {
      if (unsafe(answers)) continue;
      assert.equal(validate(answers), lenient, `${survey.name}, answer set ${index}: ${JSON.stringify(answers)}`);
    }
  }
});
