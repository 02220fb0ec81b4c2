import type { Extension } from '@electric-sql/pglite';

/**
 * PGlite (0.5.x, built with Emscripten) looks a symbol of a loaded library up with
 * `Object.keys(library.exports).indexOf(name)`: every lookup lists all the library's exports (thousands) again.
 * PostgreSQL looks up two symbols for each C function it meets, and `create extension postgis` declares about a
 * thousand of them, so on this 2-core machine that list-building alone took 6.9 s of the extension's 9–12 s
 * (CPU profile, docs/benchmarks.md "First start").
 *
 * This PGlite "extension" changes nothing in PostgreSQL: it wraps the engine's `_dlsym_js` import so that, during
 * that one synchronous call, `Object.keys` of an exports object answers `indexOf` from a map kept per object. The
 * map is rebuilt when a name it does not hold is an own property of the object (exports added since), and indexes
 * of names already listed do not change when names are added after them, so the answer is always the index
 * Emscripten would have computed. `Object.keys` is put back before the call returns; nothing else can run
 * meanwhile.
 */
const listKeys = Object.keys;
const indexesByExports = new WeakMap<object, Map<string, number>>();

function indexOfExport(exports: object, name: string): number {
  let indexes = indexesByExports.get(exports);
  let index = indexes?.get(name);
  if (index === undefined && Object.prototype.hasOwnProperty.call(exports, name)) {
    indexes = new Map(listKeys(exports).map((key, position) => [key, position]));
    indexesByExports.set(exports, indexes);
    index = indexes.get(name);
  }
  return index ?? -1;
}

/** What `Object.keys(exports)` is inside the wrapped lookup: all Emscripten does with it is `.indexOf(name)`. */
function keysForLookup(exports: object): Pick<string[], 'indexOf'> {
  return { indexOf: (name: string) => indexOfExport(exports, name) };
}

type Dlsym = ((...args: unknown[]) => unknown) & { sig?: string };

function wrapDlsym(dlsym: Dlsym): Dlsym {
  const wrapped: Dlsym = (...args) => {
    (Object as { keys: unknown }).keys = keysForLookup;
    try {
      return dlsym(...args);
    } finally {
      Object.keys = listKeys;
    }
  };
  wrapped.sig = dlsym.sig;
  return wrapped;
}

type InstantiateWasm = (imports: { env?: Record<string, unknown> }, done: unknown) => unknown;

/** Give it to PGlite first among `extensions`, so that its wrapper sees the engine's imports. */
export const fastSymbolLookup: Extension = {
  name: 'passerelle-fast-symbol-lookup',
  setup: async (_pg, emscriptenOpts: { instantiateWasm?: InstantiateWasm }) => {
    const instantiateWasm = emscriptenOpts.instantiateWasm;
    if (!instantiateWasm) return { emscriptenOpts };
    return {
      emscriptenOpts: {
        ...emscriptenOpts,
        instantiateWasm: ((imports, done) => {
          const dlsym = imports.env?._dlsym_js;
          if (typeof dlsym === 'function') imports.env!._dlsym_js = wrapDlsym(dlsym as Dlsym);
          return instantiateWasm(imports, done);
        }) satisfies InstantiateWasm,
      },
    };
  },
};
