// The native validator's messages for the errors that a JSON Schema validator (ajv) reports
// on a survey's generated schema, for react-jsonschema-form and JSON Forms.
//
// `messages` is the output of `survey schema --messages ja|en` (`Survey::error_messages`):
// per schema location, the issue code and the message template. This module only looks an
// error up, fills in `{value}`, `{count}` and `{key}` as the native validator writes them,
// and drops the errors that say again what another error at the same place says (ajv reports
// a wrong type both as `type` and as each failed `oneOf` branch; the native validator reports
// it once). `{instance}` is the index of the repeat's instance the issue is in, the second
// token of its path (repeats are top-level questions). No dependencies; an ES module.

/** A value as native messages quote it: strings in JSON quotes, at most 40 characters. */
function quote(value) {
  return cut(typeof value === "string" ? value : JSON.stringify(value), typeof value === "string");
}

function cut(text, quoted) {
  const chars = Array.from(text);
  const short = chars.length > 40 ? `${chars.slice(0, 37).join("")}...` : text;
  return quoted ? JSON.stringify(short) : short;
}

function escapeToken(token) {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The value at a JSON Pointer of `data`. */
function at(data, pointer) {
  let value = data;
  for (const token of pointer.split("/").slice(1)) {
    if (value === null || typeof value !== "object") return undefined;
    value = value[token.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return value;
}

/** The entry of the longest listed prefix of a schema location. */
function lookup(messages, schemaPath) {
  let key = schemaPath;
  while (key.length > 1) {
    const entry = messages.errors[key];
    if (entry) return entry;
    key = key.slice(0, key.lastIndexOf("/"));
  }
  return undefined;
}

/**
 * The native issue `{code, path, message}` for one validator error, or `undefined` for an
 * error that is no issue of its own (an `if`). `error` is ajv's error object (JSON Forms) or
 * RJSF's (`property` instead of `instancePath`); `data` is the whole answer set.
 */
export function nativeIssue(messages, error, data) {
  const keyword = error.keyword ?? error.name;
  if (keyword === "if") return undefined;
  const params = error.params ?? {};
  let pointer;
  if (error.instancePath !== undefined) {
    pointer = error.instancePath;
    if (keyword === "required") pointer += `/${escapeToken(params.missingProperty)}`;
  } else {
    // RJSF: ".Q1.email" (a required error already names the missing property).
    const tokens = String(error.property ?? "").split(".").filter((t) => t !== "");
    pointer = tokens.map((t) => `/${escapeToken(t)}`).join("");
  }
  let schemaPath = error.schemaPath ?? "";
  if (keyword === "required") schemaPath += `/${params.missingProperty}`;
  const entry = lookup(messages, schemaPath);
  if (!entry) return undefined;
  const name = params.propertyName ?? error.propertyName;
  let path = entry.path ?? pointer;
  // A field of a repeat (disabled, or the place of a failed rule checked per instance): the
  // entry names it with `-` in the instance's place (`/systems/-/vendor`), and the instance is
  // the second token of the error's place (`/systems/3`, `/systems/3/name`).
  if (entry.path?.includes("/-/")) {
    const [, repeat, instance] = pointer.split("/");
    path = `/${repeat}/${instance}${entry.path.slice(entry.path.indexOf("/-/") + 2)}`;
  }
  if (keyword === "uniqueItems") path += `/${Math.max(params.i, params.j)}`;
  if (entry.code === "unknown_question" || entry.code === "unknown_field") {
    if (name === undefined) return undefined;
    path += `/${escapeToken(name)}`;
  }
  // ajv's `verbose` errors (JSON Forms) carry the value; RJSF's do not.
  let value;
  if (error.data !== undefined && path === pointer) value = error.data;
  else if (error.data !== undefined && keyword === "uniqueItems") value = error.data[Math.max(params.i, params.j)];
  else value = at(data, path);
  const count = typeof value === "string" ? Array.from(value).length : Array.isArray(value) ? value.length : 0;
  const message = entry.message
    .replace("{value}", () => quote(value))
    .replace("{count}", String(count))
    .replace("{key}", () => cut(String(name), false))
    .replace("{instance}", () => path.split("/")[2]);
  return entry.rule === undefined ? { code: entry.code, path, message } : { code: entry.code, path, message, rule: entry.rule };
}

/** Two issues are one when they share path, code and (for a failed rule) the rule. */
const key = (issue) => `${issue.path} ${issue.code} ${issue.rule ?? ""}`;

/** Whether issue `a` makes issue `b` unsaid, as the native validator reports: a wrong type
 * is all it says about that answer and what is inside it, an answer to a disabled question
 * is not looked into, and an invalid date is not also out of range. */
function outranks(a, b) {
  if (a.code === "wrong_type") return (a.path === b.path && a.code !== b.code) || b.path.startsWith(`${a.path}/`);
  if (a.code === "answered_while_disabled") return b.path.startsWith(`${a.path}/`);
  return a.code === "invalid_date" && b.code === "out_of_range" && a.path === b.path;
}

/** The native issues for a list of validator errors: mapped, once each, in order. */
export function nativeIssues(messages, errors, data) {
  const issues = [];
  for (const error of errors) {
    const issue = nativeIssue(messages, error, data);
    if (issue && !issues.some((i) => key(i) === key(issue))) issues.push(issue);
  }
  // An answer set that is not an object is only that (a `not` of a condition may fail on it).
  const notAnObject = issues.find((issue) => issue.code === "not_an_object");
  if (notAnObject) return [notAnObject];
  return issues.filter((issue) => !issues.some((other) => outranks(other, issue)));
}

/**
 * RJSF's `transformErrors`: each error gets the native message (in the error list and under
 * its field); errors that repeat another are dropped. `getData` returns the current form data.
 */
export function rjsfTransformErrors(messages, getData) {
  return (errors) => {
    const data = getData();
    const kept = [];
    const seen = new Set();
    for (const issue of nativeIssues(messages, errors, data)) seen.add(key(issue));
    for (const error of errors) {
      const issue = nativeIssue(messages, error, data);
      if (!issue) continue;
      if (!seen.has(key(issue))) continue;
      seen.delete(key(issue));
      const property = issue.path.split("/").slice(1).join(".");
      kept.push({ ...error, property: property ? `.${property}` : "", message: issue.message, stack: issue.message });
    }
    return kept;
  };
}

/**
 * JSON Forms' `i18n`: `translateError` gives each error its native message, and the
 * `error.custom` key combines the errors of one control into its native messages, once each.
 */
export function jsonFormsI18n(messages, locale, getData) {
  const issueOf = (error) => {
    const data = getData();
    return nativeIssue(messages, error, data);
  };
  return {
    locale,
    translate: (key, defaultMessage, values) => {
      if (key.endsWith("error.custom") && values?.errors) {
        const issues = nativeIssues(messages, values.errors, getData());
        return issues.map((issue) => issue.message).join("\n");
      }
      return defaultMessage;
    },
    translateError: (error) => issueOf(error)?.message ?? error.message,
  };
}
