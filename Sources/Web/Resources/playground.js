// The playground's live preview: enforces the arguments' cross rules on the form; a change cancels the
// request in flight at once, and a moment after the last change the edit is sent and its result shown, with
// the curl command, the GET URL and a shareable link. Signed in, previews go through /playground/preview (the
// team's sandbox); otherwise straight to /v2/edit with the pasted key.

const form = document.getElementById("playground-form");
const fields = [...form.querySelectorAll(".field")];
const status = document.getElementById("status");
const errorBox = document.getElementById("error");
const pane = document.getElementById("preview-pane");
const result = document.getElementById("result");
const before = document.getElementById("before");
const slider = document.getElementById("slider");
const signedIn = form.dataset.signedIn === "true";
const newShadowModes = ["ai.preset-soft", "ai.preset-hard", "ai.auto-with-overrides"];
const DEBOUNCE_MS = 500;

let timer = null;
let inFlight = null;
let resultURL = null;
let beforeURL = null;

function control(field) {
  return field.querySelector("input, select");
}

function byName(name) {
  return fields.find((field) => field.dataset.name === name);
}

function hasValue(field) {
  const input = control(field);
  if (!input || input.disabled) return false;
  return input.type === "file" ? input.files.length > 0 : input.value.trim() !== "";
}

function valueOf(name) {
  const field = byName(name);
  return field && hasValue(field) ? control(field).value.trim() : null;
}

function holds(condition) {
  const field = byName(condition.argument);
  if (!field || !hasValue(field)) return false;
  const value = control(field).value.trim();
  if (condition.pattern && !new RegExp(condition.pattern).test(value)) return false;
  return !condition.values || condition.values.includes(value);
}

function describe(condition) {
  if (condition.pattern) return `${condition.argument} ${control(byName(condition.argument)).value.trim()}`;
  return condition.values ? `${condition.argument}=${condition.values.join(" or ")}` : condition.argument;
}

// Turns fields off whose rules are not met; repeats until nothing changes (rules chain: guidance needs prompt…).
function applyRules() {
  for (let pass = 0; pass < 4; pass++) {
    let changed = false;
    for (const field of fields) {
      const requires = JSON.parse(field.dataset.requires || "[]");
      const conflicts = JSON.parse(field.dataset.conflicts || "[]");
      let reason = "";
      if (requires.length && !requires.some(holds)) reason = "Needs " + requires.map(describe).join(" or ");
      const conflict = conflicts.find(holds);
      if (conflict) reason = "Not allowed with " + describe(conflict);
      const input = control(field);
      const off = reason !== "";
      if (input.disabled !== off) { input.disabled = off; changed = true; }
      field.classList.toggle("off", off);
      const why = field.querySelector(".why");
      if (off) { why.dataset.help ??= why.textContent; why.textContent = reason; }
      else if (why.dataset.help !== undefined) { why.textContent = why.dataset.help; delete why.dataset.help; }
    }
    if (!changed) break;
  }
}

// The arguments to send: every enabled field with a value. Files separately; headers separately.
function collect() {
  const args = [];
  const files = [];
  const headers = {};
  for (const field of fields) {
    if (!hasValue(field)) continue;
    const input = control(field);
    if (field.dataset.header === "true") headers[field.dataset.name] = input.value;
    else if (input.type === "file") files.push([field.dataset.name, input.files[0]]);
    else args.push([field.dataset.name, input.value.trim()]);
  }
  const shadow = valueOf("shadow.mode");
  if (shadow && newShadowModes.includes(shadow) && !headers["pr-ai-shadows-model-version"]) {
    headers["pr-ai-shadows-model-version"] = "2026-04-15";
  }
  return { args, files, headers };
}

function invalidField() {
  return fields.find((field) => {
    const input = control(field);
    return !input.disabled && input.validity && !input.validity.valid;
  });
}

function quote(text) {
  return "'" + text.replace(/'/g, "'\\''") + "'";
}

function showCode({ args, files, headers }) {
  const origin = window.location.origin;
  const headerFlags = Object.entries(headers).map(([k, v]) => ` -H ${quote(`${k}: ${v}`)}`).join("");
  const curlFiles = files.map(([name, file]) => ` -F ${quote(`${name}=@${file.name}`)}`).join("");
  const imageURL = args.find(([name]) => name === "imageUrl");
  const query = new URLSearchParams(args);
  const getURL = `${origin}/v2/edit?${query}`;
  if (imageURL && files.length === 0) {
    document.getElementById("get-url").textContent = getURL;
    document.getElementById("curl").textContent = `curl -H "x-api-key: $DARKROOM_KEY"${headerFlags} ${quote(getURL)} -o result.png`;
  } else {
    document.getElementById("get-url").textContent = "Give the photo by URL for a GET link.";
    const fieldFlags = args.map(([k, v]) => ` -F ${quote(`${k}=${v}`)}`).join("");
    document.getElementById("curl").textContent =
      `curl -H "x-api-key: $DARKROOM_KEY"${headerFlags}${curlFiles || " -F imageFile=@photo.jpg"}${fieldFlags} ${origin}/v2/edit -o result.png`;
  }
  const share = new URLSearchParams(args);
  for (const [k, v] of Object.entries(headers)) share.append(k, v);
  const team = document.getElementById("team");
  if (team) share.append("team", team.value);
  const link = `/playground?${share}`;
  document.getElementById("share").href = link;
  history.replaceState(null, "", link);
}

function showBefore(files, args) {
  const upload = files.find(([name]) => name === "imageFile");
  const url = args.find(([name]) => name === "imageUrl");
  if (beforeURL) { URL.revokeObjectURL(beforeURL); beforeURL = null; }
  if (upload) { beforeURL = URL.createObjectURL(upload[1]); before.src = beforeURL; }
  else if (url) before.src = url[1];
  before.classList.toggle("hidden", !(upload || url));
  updateSlider();
}

function updateSlider() {
  // 0: only the result; 100: only the original.
  before.style.clipPath = `inset(0 ${100 - Number(slider.value)}% 0 0)`;
}

function setError(message) {
  errorBox.textContent = message;
  errorBox.classList.toggle("hidden", !message);
}

async function send() {
  applyRules();
  const request = collect();
  showCode(request);
  const bad = invalidField();
  if (bad) { setError(`${bad.dataset.name}: ${control(bad).validationMessage}`); return; }
  if (!request.files.some(([name]) => name === "imageFile") && !request.args.some(([name]) => name === "imageUrl")) {
    status.textContent = "Choose a photo (imageFile) or give its URL (imageUrl)."; return;
  }
  const headers = { ...request.headers };
  let endpoint = "/v2/edit";
  if (signedIn) {
    endpoint = `/playground/preview?team=${encodeURIComponent(document.getElementById("team").value)}`;
    headers["x-csrf-token"] = form.dataset.csrf;
  } else if (form.dataset.keyless !== "true") {
    const key = document.getElementById("api-key").value.trim();
    if (!key) { status.textContent = "Paste an API key (or sign in) to preview."; return; }
    headers["x-api-key"] = key;
  }
  const body = new FormData();
  for (const [name, value] of request.args) body.append(name, value);
  for (const [name, file] of request.files) body.append(name, file, file.name);
  showBefore(request.files, request.args);

  if (inFlight) inFlight.abort();
  const controller = new AbortController();
  inFlight = controller;
  pane.classList.add("busy");
  status.textContent = "Rendering…";
  setError("");
  const started = performance.now();
  try {
    const response = await fetch(endpoint, { method: "POST", body, headers, signal: controller.signal, credentials: "same-origin" });
    if (!response.ok) {
      let message = `${response.status} ${response.statusText}`;
      try { const json = await response.json(); message = json.error?.message ?? json.detail ?? message; } catch { /* not JSON */ }
      throw new Error(message);
    }
    const blob = await response.blob();
    if (resultURL) URL.revokeObjectURL(resultURL);
    resultURL = URL.createObjectURL(blob);
    result.src = resultURL;
    const charged = response.headers.get("x-credits-charged");
    status.textContent = `Done in ${Math.round(performance.now() - started)} ms` + (charged !== null ? `, ${charged} credits charged.` : ".");
  } catch (error) {
    if (error.name === "AbortError") return;
    status.textContent = "The preview failed.";
    setError(error.message);
  } finally {
    if (inFlight === controller) { inFlight = null; pane.classList.remove("busy"); }
  }
}

function schedule() {
  // The answer to the old arguments is no longer wanted: cancel it now, not when the next one starts.
  if (inFlight) { inFlight.abort(); inFlight = null; pane.classList.remove("busy"); }
  applyRules();
  showCode(collect());
  clearTimeout(timer);
  timer = setTimeout(send, DEBOUNCE_MS);
}

form.addEventListener("input", schedule);
form.addEventListener("change", schedule);
form.addEventListener("submit", (event) => { event.preventDefault(); send(); });
slider.addEventListener("input", updateSlider);
applyRules();
showCode(collect());
if (valueOf("imageUrl")) schedule();
