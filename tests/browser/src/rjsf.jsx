// The MHLW form schema (`survey schema --form`) rendered by react-jsonschema-form with its
// ajv8 validator, in Japanese or English (`?locale=en`), showing the native validator's
// messages through forms/survey-messages.js exactly as the README shows. Only widget choices
// are added (radio buttons for yes/no questions, checkboxes for multiple choice), and no
// answer is prefilled. RJSF validates on submit.
import { useRef } from "react";
import { createRoot } from "react-dom/client";
import Form from "@rjsf/core";
import { TranslatableString, englishStringTranslator } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import { rjsfTransformErrors } from "../../../forms/survey-messages.js";
import schemaJa from "../../../schema/mhlw-hospital-cybersecurity-2024.form.schema.json";
import schemaEn from "../../../schema/mhlw-hospital-cybersecurity-2024.en.form.schema.json";
import messagesJa from "../../../schema/mhlw-hospital-cybersecurity-2024.messages.ja.json";
import messagesEn from "../../../schema/mhlw-hospital-cybersecurity-2024.messages.en.json";
import checklistJa from "../../../schema/mhlw-cybersecurity-checklist-2024.form.schema.json";
import checklistEn from "../../../schema/mhlw-cybersecurity-checklist-2024.en.form.schema.json";
import checklistMessagesJa from "../../../schema/mhlw-cybersecurity-checklist-2024.messages.ja.json";
import checklistMessagesEn from "../../../schema/mhlw-cybersecurity-checklist-2024.messages.en.json";
import repeatSchema from "../fixtures/systems.form.schema.json";
import repeatMessages from "../fixtures/systems.messages.ja.json";

// `?survey=checklist` renders the checklist (sections and tables) instead of the MHLW survey;
// `?survey=repeat` a test survey with a repeating group (Japanese only).
const params = new URLSearchParams(location.search);
const english = params.get("locale") === "en";
const which = params.get("survey");
const checklist = which === "checklist";
const schema =
  which === "repeat" ? repeatSchema : checklist ? (english ? checklistEn : checklistJa) : english ? schemaEn : schemaJa;
const messages =
  which === "repeat" ? repeatMessages : checklist ? (english ? checklistMessagesEn : checklistMessagesJa) : english ? messagesEn : messagesJa;
// RJSF's own words: the title of the error list and the submit button.
const labels = english ? { errors: "Errors", submit: "Submit" } : { errors: "入力内容を確認してください", submit: "送信" };
document.documentElement.lang = english ? "en" : "ja";

/** Radio buttons for yes/no questions and checkboxes for multiple choices, wherever a
 * schema declares them: in `properties`, in the instances of a repeat (`items`), and in the
 * `then`/`else` of conditional blocks, at the depth their data sits. */
function widgets(node, uiSchema) {
  for (const [id, property] of Object.entries(node?.properties ?? {})) {
    const ui = (uiSchema[id] ??= {});
    if (property.type === "boolean") ui["ui:widget"] = "radio";
    if (property.type === "array" && property.items?.type === "string") ui["ui:widget"] = "checkboxes";
    if (property.items && property.items.type !== "string") widgets(property.items, (ui.items ??= {}));
    widgets(property, ui);
  }
  for (const part of [...(node?.allOf ?? []), node?.then, node?.else]) if (part) widgets(part, uiSchema);
}
const uiSchema = { "ui:submitButtonOptions": { submitText: labels.submit } };
widgets(schema, uiSchema);

const translateString = (key, params) => (key === TranslatableString.ErrorsLabel ? labels.errors : englishStringTranslator(key, params));

function App() {
  // The form keeps its own state; the page only watches it, and the messages read it.
  const data = useRef({});
  return (
    <Form
      schema={schema}
      uiSchema={uiSchema}
      validator={validator}
      transformErrors={rjsfTransformErrors(messages, () => data.current)}
      translateString={translateString}
      showErrorList="top"
      noHtml5Validate
      // A survey starts unanswered: RJSF otherwise prefills choices from their `const` and
      // required yes/no questions with `false`.
      experimental_defaultFormStateBehavior={{ constAsDefaults: "never", requiredBooleanDefault: "skip" }}
      onChange={(event) => {
        data.current = event.formData;
        window.formData = event.formData;
      }}
      onSubmit={(event) => {
        window.result = { ok: true, formData: event.formData };
      }}
      onError={(errors) => {
        window.result = { ok: false, errors: errors.map((e) => e.message) };
      }}
    />
  );
}

createRoot(document.getElementById("root")).render(<App />);
