// The browser work the app hands to JavaScript, in one module (one file to fetch):
// fetching the course, files in and out (downloads, PNG and WebM export, opening a
// file), and deflating a lesson for a link. Each function is called from Rust
// through crates/mm-ui/src/bridge.rs.
export function fetchLessons(dir) {
  const get = (name) => fetch(dir + name).then((r) => {
    if (!r.ok) throw new Error(dir + name + ': HTTP ' + r.status);
    return r.text();
  });
  return get('index.txt').then((index) => {
    const names = index.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    return Promise.all(names.map((n) => get(n).then((text) => [n, text])));
  });
}
function save(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
export function downloadText(name, text) {
  save(new Blob([text], { type: 'text/plain;charset=utf-8' }), name);
}
export function downloadCanvas(selector, name) {
  const c = document.querySelector(selector);
  if (!c || !c.toBlob) return false;
  c.toBlob((b) => { if (b) save(b, name); }, 'image/png');
  return true;
}
let recorder = null;
export function startRecording(selector) {
  const c = document.querySelector(selector);
  if (!c || !c.captureStream || typeof MediaRecorder === 'undefined') return false;
  const chunks = [];
  const r = new MediaRecorder(c.captureStream(30), { mimeType: 'video/webm' });
  r.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
  r.onstop = () => save(new Blob(chunks, { type: 'video/webm' }), r.name);
  r.start(250);
  recorder = r;
  return true;
}
export function stopRecording(name) {
  if (!recorder) return;
  recorder.name = name;
  recorder.stop();
  recorder = null;
}
export function openTextFile(accept, max, done) {
  const i = document.createElement('input');
  i.type = 'file';
  i.accept = accept;
  i.onchange = () => {
    const f = i.files && i.files[0];
    if (f) f.size > max ? done(f.size) : f.text().then(done, () => done(-1));
  };
  i.click();
}
export function packLesson(text, done) {
  if (typeof CompressionStream === 'undefined') return done(null);
  const z = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  new Response(z).arrayBuffer().then((b) => {
    const u = new Uint8Array(b);
    let s = '';
    for (let i = 0; i < u.length; i += 4096) s += String.fromCharCode.apply(null, u.subarray(i, i + 4096));
    done(btoa(s).replace(/[+]/g, '-').replace(/[/]/g, '_').replace(/=+$/, ''));
  }, (e) => done(null));
}
export function unpackLesson(data, max, done) {
  if (typeof DecompressionStream === 'undefined') return done(4);
  let bytes;
  try {
    bytes = Uint8Array.from(atob(data.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  } catch (e) { return done(1); }
  const r = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const parts = [];
  let n = 0;
  const next = () => r.read().then(({ done: end, value }) => {
    if (end) {
      const all = new Uint8Array(n);
      let at = 0;
      for (const p of parts) { all.set(p, at); at += p.length; }
      try { return done(new TextDecoder('utf-8', { fatal: true }).decode(all)); } catch (e) { return done(3); }
    }
    n += value.length;
    if (n > max) { r.cancel(); return done(2); }
    parts.push(value);
    next();
  }, () => done(1));
  next();
}
// `help NAME`'s details (help/details.txt, fetched when the app starts): the app's
// wasm leaves them out, and help_details.rs puts them back into help's output.
const details = new Map();
fetch('help/details.txt').then((r) => (r.ok ? r.text() : '')).then((t) => {
  for (const s of t.split('\n@@ ').slice(1)) {
    const i = s.indexOf('\n');
    details.set(s.slice(0, i), s.slice(i + 1));
  }
}, () => {});
export function helpDetails(name) {
  return details.get(name);
}
