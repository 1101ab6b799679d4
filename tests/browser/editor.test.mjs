// The meta-schema in a real editor's language server: yaml-language-server, driven over stdio
// as an editor drives it, offers a question only the keys of its kind (the text keys for a
// text question, the labels for a yes/no, rows and columns for a table), from the modeline
// `# yaml-language-server: $schema=./survey-definition.schema.json` that the bundled surveys
// carry.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const serverPath = join(require.resolve("yaml-language-server/package.json"), "..", "bin", "yaml-language-server");
const metaSchema = fileURLToPath(new URL("../../schema/survey-definition.schema.json", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "survey-editor-"));
copyFileSync(metaSchema, join(dir, "survey-definition.schema.json"));

let server;
let nextId = 1;
const waiting = new Map();

function send(message) {
  const text = JSON.stringify(message);
  server.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}
function request(method, params) {
  const id = nextId++;
  send({ jsonrpc: "2.0", id, method, params });
  return new Promise((resolve) => waiting.set(id, resolve));
}
const notify = (method, params) => send({ jsonrpc: "2.0", method, params });

before(async () => {
  server = spawn(process.execPath, [serverPath, "--stdio"], { stdio: ["pipe", "pipe", "ignore"] });
  let buffer = Buffer.alloc(0);
  server.stdout.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
      if (buffer.length < end + 4 + length) return;
      const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString());
      buffer = buffer.subarray(end + 4 + length);
      if (message.method && message.id !== undefined) {
        // The server asks for its settings: validation and completion on.
        const result = message.method === "workspace/configuration" ? message.params.items.map(() => ({ validate: true, completion: true })) : null;
        send({ jsonrpc: "2.0", id: message.id, result });
      } else if (waiting.has(message.id)) {
        waiting.get(message.id)(message);
        waiting.delete(message.id);
      }
    }
  });
  await request("initialize", { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: { textDocument: { completion: { completionItem: { snippetSupport: false } } } } });
  notify("initialized", {});
  notify("workspace/didChangeConfiguration", { settings: { yaml: { validate: true, completion: true } } });
});
after(() => server?.kill());

let documents = 0;
/** The keys offered on the empty line that ends `question` (a list item under `questions`). */
async function offered(question) {
  documents += 1;
  const text = `# yaml-language-server: $schema=./survey-definition.schema.json\nid: t\nversion: "1"\ndefault_locale: en\ntitle: T\nquestions:\n${question}\n    \n`;
  const path = join(dir, `probe-${documents}.yaml`);
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
  const line = text.split("\n").length - 2;
  const response = await request("textDocument/completion", { textDocument: { uri }, position: { line, character: 4 } });
  return (response.result?.items ?? response.result ?? []).map((item) => item.label);
}

test("a text question is offered the text keys and no other kind's", async () => {
  const keys = await offered("  - id: a\n    type: text\n    title: A");
  for (const key of ["min_length", "max_length", "pattern", "format", "required", "enable_when"]) assert.ok(keys.includes(key), `${key}: ${keys}`);
  for (const key of ["true_label", "choices", "rows", "columns", "fields", "minimum", "multiple"]) assert.ok(!keys.includes(key), `${key}: ${keys}`);
});

test("a yes/no question is offered its labels", async () => {
  const keys = await offered("  - id: a\n    type: boolean\n    title: A");
  assert.ok(keys.includes("true_label") && keys.includes("false_label"), String(keys));
  assert.ok(!keys.includes("pattern") && !keys.includes("choices"), String(keys));
});

test("a table is offered rows and columns, a section its questions and no `required`", async () => {
  const table = await offered("  - id: t\n    type: table\n    title: T");
  assert.ok(table.includes("rows") && table.includes("columns"), String(table));
  assert.ok(!table.includes("choices") && !table.includes("fields"), String(table));
  const section = await offered("  - id: s\n    type: section\n    title: S");
  assert.ok(section.includes("questions"), String(section));
  assert.ok(!section.includes("required") && !section.includes("rows"), String(section));
});
