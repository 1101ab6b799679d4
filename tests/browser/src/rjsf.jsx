// The generated MHLW schema (Japanese, draft-07) rendered by react-jsonschema-form with its
// ajv8 validator. Only widget choices are added (radio buttons for yes/no questions,
// checkboxes for multiple choice), and no answer is prefilled.
import { createRoot } from "react-dom/client";
import Form from "@rjsf/core";
import validator from "@rjsf/validator-ajv8";
import schema from "../../../schema/mhlw-hospital-cybersecurity-2024.schema.json";

function widgets(properties, uiSchema) {
  for (const [id, property] of Object.entries(properties ?? {})) {
    if (property.type === "boolean") uiSchema[id] = { "ui:widget": "radio" };
    if (property.type === "array") uiSchema[id] = { "ui:widget": "checkboxes" };
    if (property.type === "object") widgets(property.properties, (uiSchema[id] = {}));
  }
}
const uiSchema = {};
widgets(schema.properties, uiSchema);
for (const block of schema.allOf ?? []) widgets(block.then?.properties, uiSchema);

// The form keeps its own state; the page only watches it.
function App() {
  return (
    <Form
      schema={schema}
      uiSchema={uiSchema}
      validator={validator}
      showErrorList="top"
      noHtml5Validate
      // A survey starts unanswered: RJSF otherwise prefills choices from their `const` and
      // required yes/no questions with `false`.
      experimental_defaultFormStateBehavior={{ constAsDefaults: "never", requiredBooleanDefault: "skip" }}
      onChange={(event) => {
        window.formData = event.formData;
      }}
      onSubmit={(event) => {
        window.result = { ok: true, formData: event.formData };
      }}
      onError={(errors) => {
        window.result = { ok: false, errors: errors.map((e) => e.stack) };
      }}
    />
  );
}

createRoot(document.getElementById("root")).render(<App />);
