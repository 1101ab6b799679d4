// LHC-Forms, the NLM's FHIR Questionnaire renderer, from its npm package's prebuilt bundle:
// fetched once by `npm pack` at the pinned version, its sha512 checked against the registry's
// integrity recorded here, and unpacked into vendor/lforms (its own dependencies are built
// into the bundle, so nothing else is installed). Not a test file of its own.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

export const VERSION = "40.1.3";
const INTEGRITY =
  "sha512-WLruTm+BcVnafC0rSAQ3/cNqhxvclBUxyBG68aub/uha2NaK9H8ZZcEXTTuORuGzzCt0wa7fvhuieZtcDIdPzQ==";
const here = fileURLToPath(new URL("./", import.meta.url));
const vendor = join(here, "vendor");
const dist = join(vendor, "lforms", "dist", "lforms");

/** Fetches and unpacks the pinned package unless it is there. */
export function ensureLforms() {
  if (existsSync(join(dist, "webcomponent", "main.js"))) return;
  mkdirSync(vendor, { recursive: true });
  const name = execFileSync("npm", ["pack", `lforms@${VERSION}`, "--pack-destination", vendor, "--silent"], {
    encoding: "utf8",
  }).trim();
  const tarball = join(vendor, name);
  const digest = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
  if (digest !== INTEGRITY) throw new Error(`lforms ${VERSION}: integrity ${digest} is not the recorded one`);
  rmSync(join(vendor, "lforms"), { recursive: true, force: true });
  mkdirSync(join(vendor, "lforms"));
  execFileSync("tar", ["xzf", tarball, "-C", join(vendor, "lforms"), "--strip-components=1"]);
  rmSync(tarball);
}

const TYPES = { ".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".json": "application/json", ".png": "image/png" };

/** Serves the bundle under /lforms/, the page at /, and `questionnaire` at /q.json. */
export function serve(questionnaire) {
  const page = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>LHC-Forms</title>
<link rel="stylesheet" href="/lforms/webcomponent/styles.css"></head><body>
<div id="form"></div>
<script src="/lforms/webcomponent/assets/lib/zone.min.js"></script>
<script src="/lforms/webcomponent/runtime.js"></script>
<script src="/lforms/webcomponent/polyfills.js"></script>
<script src="/lforms/webcomponent/main.js"></script>
<script src="/lforms/fhir/R4/lformsFHIR.min.js"></script>
<script>
  fetch("/q.json").then((r) => r.json()).then((q) =>
    LForms.Util.addFormToPage(q, "form", { fhirVersion: "R4" })
  ).then(() => { window.formReady = true; }, (e) => { window.formError = String(e); });
</script></body></html>`;
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    if (path === "/") return send(response, 200, "text/html", page);
    if (path === "/q.json") return send(response, 200, "application/json", JSON.stringify(questionnaire));
    if (path.startsWith("/lforms/")) {
      const file = normalize(join(dist, path.slice("/lforms/".length)));
      if (file.startsWith(dist) && existsSync(file)) {
        return send(response, 200, TYPES[extname(file)] ?? "application/octet-stream", readFileSync(file));
      }
    }
    return send(response, 404, "text/plain", "not found");
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function send(response, status, type, body) {
  response.writeHead(status, { "content-type": type });
  response.end(body);
}
