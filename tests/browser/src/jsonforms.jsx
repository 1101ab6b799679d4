// The MHLW form schema (`survey schema --form`) and the generated UI schema rendered by
// JSON Forms with its vanilla renderers, in Japanese or English (`?locale=en`), showing the
// native validator's messages through forms/survey-messages.js exactly as the README shows.
// The vanilla set has no control for a labelled yes/no (a boolean with `oneOf`) or for a
// multiple choice (an array of `oneOf` items), so this page adds one small control for each;
// everything else, the SHOW rules included, is JSON Forms' own. Errors show once the
// respondent presses the submit button (validation mode `ValidateAndHide` until then).
import { useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { JsonForms, withJsonFormsControlProps } from "@jsonforms/react";
import { vanillaCells, vanillaRenderers } from "@jsonforms/vanilla-renderers";
import { and, rankWith, schemaMatches, schemaTypeIs } from "@jsonforms/core";
import { jsonFormsI18n, nativeIssues } from "../../../forms/survey-messages.js";
import schemaJa from "../../../schema/mhlw-hospital-cybersecurity-2024.form.schema.json";
import schemaEn from "../../../schema/mhlw-hospital-cybersecurity-2024.en.form.schema.json";
import uischemaJa from "../../../schema/mhlw-hospital-cybersecurity-2024.uischema.json";
import uischemaEn from "../../../schema/mhlw-hospital-cybersecurity-2024.en.uischema.json";
import messagesJa from "../../../schema/mhlw-hospital-cybersecurity-2024.messages.ja.json";
import messagesEn from "../../../schema/mhlw-hospital-cybersecurity-2024.messages.en.json";
import checklistJa from "../../../schema/mhlw-cybersecurity-checklist-2024.form.schema.json";
import checklistEn from "../../../schema/mhlw-cybersecurity-checklist-2024.en.form.schema.json";
import checklistUiJa from "../../../schema/mhlw-cybersecurity-checklist-2024.uischema.json";
import checklistUiEn from "../../../schema/mhlw-cybersecurity-checklist-2024.en.uischema.json";
import checklistMessagesJa from "../../../schema/mhlw-cybersecurity-checklist-2024.messages.ja.json";
import checklistMessagesEn from "../../../schema/mhlw-cybersecurity-checklist-2024.messages.en.json";
import repeatSchema from "../fixtures/systems.form.schema.json";
import repeatUi from "../fixtures/systems.uischema.json";
import repeatMessages from "../fixtures/systems.messages.ja.json";

// `?survey=checklist` renders the checklist (sections and tables) instead of the MHLW survey;
// `?survey=repeat` a test survey with a repeating group (Japanese only).
const params = new URLSearchParams(location.search);
const english = params.get("locale") === "en";
const which = params.get("survey");
const checklist = which === "checklist";
const pick = (repeat, checklistJa, checklistEn, ja, en) =>
  which === "repeat" ? repeat : checklist ? (english ? checklistEn : checklistJa) : english ? en : ja;
const schema = pick(repeatSchema, checklistJa, checklistEn, schemaJa, schemaEn);
const uischema = pick(repeatUi, checklistUiJa, checklistUiEn, uischemaJa, uischemaEn);
const messages = pick(repeatMessages, checklistMessagesJa, checklistMessagesEn, messagesJa, messagesEn);
const submitLabel = english ? "Submit" : "送信";
document.documentElement.lang = english ? "en" : "ja";
// The form's latest data, for the messages (ajv's verbose errors carry most values already).
let latest = {};
const i18n = jsonFormsI18n(messages, english ? "en" : "ja", () => latest);

const YesNo = withJsonFormsControlProps(({ data, path, schema, label, handleChange, errors, visible }) =>
  visible ? (
    <fieldset className="yes-no" data-path={path}>
      <legend>{label}</legend>
      {schema.oneOf.map((option) => (
        <label key={String(option.const)}>
          <input type="radio" name={path} checked={data === option.const} onChange={() => handleChange(path, option.const)} />
          {option.title}
        </label>
      ))}
      <div className={errors ? "validation validation_error" : "validation"}>{errors}</div>
    </fieldset>
  ) : null,
);

const MultipleChoice = withJsonFormsControlProps(({ data, path, schema, label, handleChange, errors, visible }) => {
  if (!visible) return null;
  const selected = data ?? [];
  return (
    <fieldset className="multiple-choice" data-path={path}>
      <legend>{label}</legend>
      {schema.items.oneOf.map((option) => (
        <label key={option.const}>
          <input
            type="checkbox"
            checked={selected.includes(option.const)}
            onChange={(event) =>
              handleChange(path, event.target.checked ? [...selected, option.const] : selected.filter((v) => v !== option.const))
            }
          />
          {option.title}
        </label>
      ))}
      <div className={errors ? "validation validation_error" : "validation"}>{errors}</div>
    </fieldset>
  );
});

const renderers = [
  ...vanillaRenderers,
  { tester: rankWith(10, and(schemaTypeIs("boolean"), schemaMatches((s) => Array.isArray(s?.oneOf)))), renderer: YesNo },
  { tester: rankWith(10, and(schemaTypeIs("array"), schemaMatches((s) => Array.isArray(s?.items?.oneOf)))), renderer: MultipleChoice },
];

// The documented JSON Forms pattern: the page holds the data and feeds each change back.
function App() {
  const [data, setData] = useState({});
  const [validationMode, setValidationMode] = useState("ValidateAndHide");
  const [summary, setSummary] = useState(null);
  const errors = useRef([]);
  const submit = () => {
    setValidationMode("ValidateAndShow");
    const issues = nativeIssues(messages, errors.current, data);
    setSummary({ ok: issues.length === 0, errors: issues.map((i) => i.message), formData: data });
  };
  // The page reports a submit once what it shows is on screen.
  useEffect(() => {
    if (summary) window.result = summary;
  }, [summary]);
  return (
    <>
      {summary && !summary.ok ? (
        <ul className="error-summary">
          {summary.errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
      <JsonForms
        schema={schema}
        uischema={uischema}
        data={data}
        renderers={renderers}
        cells={vanillaCells}
        i18n={i18n}
        validationMode={validationMode}
        onChange={(event) => {
          latest = event.data;
          errors.current = event.errors ?? [];
          window.formData = event.data;
          setData(event.data);
        }}
      />
      <button type="submit" onClick={submit}>
        {submitLabel}
      </button>
    </>
  );
}

createRoot(document.getElementById("root")).render(<App />);
