// trunk's post_build hook (Trunk.toml), release builds only: makes the app's
// download smaller without changing what runs, then rewrites the integrity (SRI)
// hashes in index.html for every file it changed.
//
// 1. The wasm's import and export names. wasm-bindgen names each of the ~200
//    imports after its function and a hash (`__wbg_setAttribute_f75317b2b5cabfb4`),
//    and those names are in both the wasm and the JS loader. wasm-opt's
//    --minify-imports-and-exports-and-modules renames them (`a`.`b`, ...) and prints
//    the mapping, which is applied to the loader here. It is skipped if the loader
//    imports from more than one module (wasm-opt puts every import in one module).
// 2. The JavaScript: trunk's own minifier cannot parse wasm-bindgen's loader
//    (`export { ... as default }`) and ships it whole; rolldown's (oxc) minifies the
//    loader and the inline_js snippets.
//
// `cargo xtask` runs step 1 on the npm package too (`--npm DIR`).
//
// Both tools are installed in .tools/ by `cargo xtask setup`; without them the build
// goes on with the file as it was, and says so. About 7 KB gzipped in all.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';

const sri = (bytes) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');

// Renames the wasm's imports and exports (step 1) and applies the mapping to its
// loader; on any failure both files are left as they were. Returns a line to print.
function renameImports(wasmPath, loaderPath, wasmOpt) {
  const loader = readFileSync(loaderPath, 'utf8');
  const modules = [...loader.matchAll(/^\s*"([^"]+)": import\d+,?$/gm)].map((m) => m[1]);
  if (modules.length !== 1) {
    return `shrink: the loader imports from ${modules.length} modules (${modules.join(', ')}); import names kept`;
  }
  const before = readFileSync(wasmPath);
  const features = ['bulk-memory', 'nontrapping-float-to-int', 'sign-ext', 'mutable-globals', 'reference-types', 'multivalue'];
  try {
    const out = execFileSync(wasmOpt, [...features.map((f) => `--enable-${f}`),
      '--minify-imports-and-exports-and-modules', wasmPath, '-o', wasmPath], { encoding: 'utf8' });
    const map = JSON.parse(out.slice(out.indexOf('{')));
    let js = loader;
    for (const [, name, short] of map.imports) js = js.replace(new RegExp(`\\b${name}(?=: function)`, 'g'), short);
    for (const [name, short] of map.exports) js = js.replace(new RegExp(`\\bwasm\\.${name}\\b`, 'g'), `wasm.${short}`);
    js = js.replace(`"${modules[0]}": import`, '"a": import');
    const left = map.imports.filter(([, name]) => js.includes(name)).length;
    if (left) throw new Error(`${left} import names were not found in the loader`);
    writeFileSync(loaderPath, js);
    return `shrink: ${map.imports.length} imports and ${map.exports.length} exports renamed`;
  } catch (e) {
    writeFileSync(wasmPath, before);
    writeFileSync(loaderPath, loader);
    return `shrink: import names kept (${e.message.split('\n')[0]})`;
  }
}

const wasmOptIn = (tools) => [join(tools, '.bin', 'wasm-opt'), 'wasm-opt'].find((p) => p === 'wasm-opt' || existsSync(p));

// `node shrink.mjs --npm DIR`: step 1 alone, on the npm package
// (DIR/mm_wasm_bg.wasm and its loader DIR/mm_wasm.js), for `cargo xtask`.
if (process.argv[2] === '--npm') {
  const dir = process.argv[3];
  const tools = join(process.cwd(), '.tools', 'node_modules');
  console.log(renameImports(join(dir, 'mm_wasm_bg.wasm'), join(dir, 'mm_wasm.js'), wasmOptIn(tools)));
  process.exit(0);
}

if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const stage = process.env.TRUNK_STAGING_DIR;
const tools = join(process.env.TRUNK_SOURCE_DIR ?? '.', '.tools', 'node_modules');
const htmlPath = join(stage, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
const rehash = (before, after) => { html = html.split(sri(before)).join(sri(after)); };

// 1. Import and export names.
const wasmName = readdirSync(stage).find((f) => f.endsWith('_bg.wasm'));
const loaderName = wasmName && wasmName.replace(/_bg\.wasm$/, '.js');
const loaderPath = loaderName && join(stage, loaderName);
const loaderHash = loaderPath && existsSync(loaderPath) ? sri(readFileSync(loaderPath)) : null;
if (loaderHash) {
  const wasmPath = join(stage, wasmName);
  const before = readFileSync(wasmPath);
  const said = renameImports(wasmPath, loaderPath, wasmOptIn(tools));
  (said.includes('renamed') ? console.log : console.warn)(said);
  rehash(before, readFileSync(wasmPath));
}

// 2. The JavaScript.
let minifySync;
try {
  const require = createRequire(join(tools, 'noop.js'));
  ({ minifySync } = await import(require.resolve('rolldown/utils')));
} catch (e) {
  console.warn(`shrink: rolldown is not in ${tools} (cargo xtask setup installs it); the JS stays unminified`);
}
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.js')) files.push(path);
  }
};
walk(stage);
let [before, after] = [0, 0];
for (const path of minifySync ? files : []) {
  const src = readFileSync(path, 'utf8');
  const out = minifySync(path, src, { compress: true, mangle: true, module: true });
  if (out.errors?.length) {
    console.warn(`shrink: ${relative(stage, path)} kept whole: ${out.errors[0].message}`);
    continue;
  }
  writeFileSync(path, out.code);
  rehash(src, out.code);
  before += src.length;
  after += out.code.length;
}
// The loader may have changed in both steps: trunk hashed the first version.
if (loaderHash) html = html.split(loaderHash).join(sri(readFileSync(loaderPath)));
writeFileSync(htmlPath, html);
console.log(`shrink: ${files.length} JS files, ${before} -> ${after} bytes`);
