// The CLI's startup cache: a one-shot `carbon balance` spends a third of its own time loading
// modules, about half of it resolving paths and compiling source that did not change since the last
// run. This keeps, in CARBON_HOME/cache, what the last runs learnt: where each `require` led, and
// V8's code cache of each CommonJS file (with the functions that ran compiled), so the next run
// neither searches nor parses again. Installed by main.ts before anything else is required.
//
// Safe by construction: a code cache is used only for the file's exact size and modification time
// (and V8 checks it again); the whole cache is dropped when Node, the dependencies
// (node_modules/.package-lock.json) or the build (dist/cli/main.js) change; anything unexpected
// (a file that uses `import()`, one that is not CommonJS, a cache that does not read) takes Node's
// own path. CARBON_NO_STARTUP_CACHE=1 turns it off.
import fs from "node:fs";
import Module from "node:module";
import path from "node:path";
import vm from "node:vm";

interface Entry {
  /** The file's size and modification time when its code cache was made. */
  size: number;
  mtime: number;
  /** Where the code cache sits in the file's data section. */
  offset: number;
  length: number;
}

interface Index {
  key: string;
  files: Record<string, Entry>;
  resolved: Record<string, string>;
}

const VERSION = 1;
/** A cache file grown past this by many different commands starts again from one run's files. */
const MAX_BYTES = 16 * 1024 * 1024;

type Compile = (this: Module, content: string, filename: string, format?: string) => unknown;
type Resolve = (request: string, parent: Module | undefined, isMain: boolean, options?: unknown) => string;

export function installStartupCache(projectRoot: string, home: string): void {
  if (process.env.CARBON_NO_STARTUP_CACHE) return;
  const file = path.join(home, "cache", `startup-v${VERSION}-${process.version}-${process.arch}.bin`);
  const key = buildKey(projectRoot);
  if (!key) return;

  let index: Index = { key, files: {}, resolved: {} };
  let data: Buffer = Buffer.alloc(0);
  try {
    const buffer = fs.readFileSync(file);
    const length = buffer.readUInt32LE(0);
    const stored = JSON.parse(buffer.toString("utf8", 4, 4 + length)) as Index;
    if (stored.key === key) {
      index = stored;
      data = buffer.subarray(4 + length);
    }
  } catch {
    // No cache yet, or one that does not read: start afresh.
  }

  const fresh = new Map<string, vm.Script>();
  let resolvedChanged = false;
  const moduleInternals = Module as unknown as { _resolveFilename: Resolve; prototype: { _compile: Compile }; wrap(source: string): string };

  const originalResolve = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function (request, parent, isMain, options) {
    if (isMain || options || !parent?.path || request.startsWith("node:") || Module.isBuiltin(request)) return originalResolve.call(this, request, parent, isMain, options);
    const memo = `${parent.path}\0${request}`;
    const known = index.resolved[memo];
    if (known !== undefined && (index.files[known] || fs.existsSync(known))) return known;
    const found = originalResolve.call(this, request, parent, isMain, options);
    if (path.isAbsolute(found)) {
      index.resolved[memo] = found;
      resolvedChanged = true;
    }
    return found;
  };

  const originalCompile = moduleInternals.prototype._compile;
  moduleInternals.prototype._compile = function (content, filename, format) {
    if ((format !== undefined && format !== "commonjs") || !filename.endsWith(".js") || content.includes("import(")) {
      return originalCompile.call(this, content, filename, format);
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(filename);
    } catch {
      return originalCompile.call(this, content, filename, format);
    }
    const entry = index.files[filename];
    const usable = entry && entry.size === stat.size && entry.mtime === stat.mtimeMs && entry.offset + entry.length <= data.length;
    const source = Module.wrap(content.startsWith("#!") ? "//" + content.slice(2) : content);
    let script: vm.Script;
    try {
      script = new vm.Script(source, { filename, cachedData: usable ? data.subarray(entry.offset, entry.offset + entry.length) : undefined });
    } catch {
      // Not CommonJS after all (Node tells ESM from the syntax): Node's own path knows what to do.
      return originalCompile.call(this, content, filename, format);
    }
    if (!usable || script.cachedDataRejected) fresh.set(filename, script);
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const mod = this as Module & { require(id: string): unknown };
    const require = Object.assign((id: string) => mod.require(id), {
      resolve: Object.assign((request: string, options?: unknown) => moduleInternals._resolveFilename(request, mod, false, options), {
        paths: (request: string) => (Module as unknown as { _resolveLookupPaths(r: string, m: Module): string[] | null })._resolveLookupPaths(request, mod),
      }),
      main: require_main(),
      extensions: (Module as unknown as { _extensions: unknown })._extensions,
      cache: (Module as unknown as { _cache: unknown })._cache,
    });
    return wrapper.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename));
  };

  // commander requires node:child_process as it loads (about 3 ms) for executable subcommands, which
  // `carbon` has none of: it gets the module on first use instead.
  const moduleLoad = Module as unknown as { _load(request: string, parent: Module | undefined, isMain: boolean): unknown };
  const originalLoad = moduleLoad._load;
  let childProcess: unknown;
  moduleLoad._load = function (request, parent, isMain) {
    if ((request === "node:child_process" || request === "child_process") && parent?.filename?.includes(`${path.sep}commander${path.sep}`) && !childProcess) {
      const real = () => (childProcess ??= originalLoad.call(this, request, parent, isMain)) as Record<string | symbol, unknown>;
      return new Proxy({}, { get: (_, key) => real()[key], has: (_, key) => key in real() });
    }
    return originalLoad.call(this, request, parent, isMain);
  };

  // A file compiled as CommonJS before (it has a code cache) is CommonJS still at the same size and
  // time: Node's search of the package scope for its "type" (a walk up the folders) is skipped.
  const extensions = (Module as unknown as { _extensions: Record<string, (module: Module, filename: string) => void> })._extensions;
  const originalJs = extensions[".js"];
  extensions[".js"] = function (module, filename) {
    const entry = index.files[filename];
    if (!entry) return originalJs.call(this, module, filename);
    (module as unknown as { _compile(content: string, filename: string, format?: string): unknown })._compile(fs.readFileSync(filename, "utf8"), filename, "commonjs");
  };

  process.once("exit", () => {
    if (fresh.size === 0 && !resolvedChanged) return;
    try {
      save(file, index, data, fresh);
    } catch {
      // A read-only home only costs the searching and parsing again next time.
    }
  });
}

function require_main(): NodeJS.Module | undefined {
  return require.main;
}

/** What the cache is valid for: this Node, these dependencies, this build. */
function buildKey(projectRoot: string): string | undefined {
  try {
    const lock = fs.statSync(path.join(projectRoot, "node_modules", ".package-lock.json"));
    const main = fs.statSync(path.join(projectRoot, "dist", "cli", "main.js"));
    return `${process.version}|${projectRoot}|${lock.size}.${lock.mtimeMs}|${main.size}.${main.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** Writes the index and the code caches (old ones still valid, new ones made now, with what ran compiled). */
function save(file: string, index: Index, data: Buffer, fresh: Map<string, vm.Script>): void {
  const chunks: Buffer[] = [];
  let offset = 0;
  const files: Record<string, Entry> = {};
  const add = (name: string, size: number, mtime: number, bytes: Buffer) => {
    files[name] = { size, mtime, offset, length: bytes.length };
    chunks.push(bytes);
    offset += bytes.length;
  };
  for (const [name, script] of fresh) {
    try {
      const stat = fs.statSync(name);
      add(name, stat.size, stat.mtimeMs, script.createCachedData());
    } catch {
      // A file gone since: nothing to keep.
    }
  }
  const keepOld = data.length + offset <= MAX_BYTES;
  if (keepOld) {
    for (const [name, entry] of Object.entries(index.files)) {
      if (files[name] || entry.offset + entry.length > data.length) continue;
      add(name, entry.size, entry.mtime, data.subarray(entry.offset, entry.offset + entry.length));
    }
  }
  const header = Buffer.from(JSON.stringify({ key: index.key, files, resolved: keepOld ? index.resolved : {} } satisfies Index), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, Buffer.concat([length, header, ...chunks]));
  fs.renameSync(temporary, file);
}

// Installed as soon as main.ts imports this file, before commander and the rest are required.
{
  const { PROJECT_ROOT, carbonHome } = require("../chain/home") as typeof import("../chain/home");
  installStartupCache(PROJECT_ROOT, carbonHome());
}
