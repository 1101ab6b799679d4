// The generated MHLW schema (Japanese, draft-07) and the generated UI schema rendered by
// JSON Forms with its vanilla renderers. The vanilla set has no control for a labelled
// yes/no (a boolean with `oneOf`) or for a multiple choice (an array of `oneOf` items), so
// this page adds one small control for each; everything else, the SHOW rules included, is
// JSON Forms' own.
import { createRoot } from "react-dom/client";
import { JsonForms, withJsonFormsControlProps } from "@jsonforms/react";
import { vanillaCells, vanillaRenderers } from "@jsonforms/vanilla-renderers";
import { and, rankWith, schemaMatches, schemaTypeIs } from "@jsonforms/core";
import schema from "../../../schema/mhlw-hospital-cybersecurity-2024.schema.json";
import uischema from "../../../schema/mhlw-hospital-cybersecurity-2024.uischema.json";

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
      <div className="validation">{errors}</div>
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
      <div className="validation">{errors}</div>
    </fieldset>
  );
});

const renderers = [
  ...vanillaRenderers,
  { tester: rankWith(10, and(schemaTypeIs("boolean"), schemaMatches((s) => Array.isArray(s?.oneOf)))), renderer: YesNo },
  { tester: rankWith(10, and(schemaTypeIs("array"), schemaMatches((s) => Array.isArray(s?.items?.oneOf)))), renderer: MultipleChoice },
];

// JSON Forms keeps the form state itself; the page only starts it empty and watches it
// (feeding each change back as `data` could drop a change made in between).
const initialData = {};

function App() {
  return (
    <JsonForms
      schema={schema}
      uischema={uischema}
      data={initialData}
      renderers={renderers}
      cells={vanillaCells}
      onChange={({ data, errors }) => {
        window.formData = data;
        window.formErrors = (errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
      }}
    />
  );
}

createRoot(document.getElementById("root")).render(<App />);
