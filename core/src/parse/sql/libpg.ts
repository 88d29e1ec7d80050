/**
 * libpg-query's parser, called on its WASM module directly: the same functions and results as the package's
 * `parseSync` / `scanSync` / `parsePlPgSQLSync`, with the text moving in and out of WASM memory by the engine's
 * native UTF-8 encoder and decoder. The package's own wrapper copies each text in a JavaScript loop byte by byte
 * (`stringToUTF8Array`) and finds the result's end the same way: a tenth of a whole-corpus lint.
 *
 * Every module of pgvet imports the parser from here, so the WASM is compiled once per process (the package's
 * index would compile a second copy as soon as it is imported). Call `loadModule()` (or `initParser()`) first.
 */
import type { ParseResult } from '@pgsql/types';
import type { ScanResult } from 'libpg-query';
// The Emscripten factory the package's index wraps; it finds libpg-query.wasm beside the script that runs it.
const createModule = require('libpg-query/wasm/libpg-query.js') as () => Promise<PgModule>;

interface PgModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(ptr: number): number;
  _wasm_free_parse_result(ptr: number): void;
  _wasm_scan(ptr: number): number;
  _wasm_parse_plpgsql(ptr: number): number;
  _wasm_free_string(ptr: number): void;
}

/** The parser's error, as libpg-query's `SqlError` gives it: `cursorPosition` 0-based, in code points. */
export class SqlError extends Error {
  constructor(message: string, readonly sqlDetails: { message: string; cursorPosition: number; fileName?: string; functionName?: string; lineNumber?: number }) {
    super(message);
    this.name = 'SqlError';
  }
}

let mod: PgModule | undefined;
// Started on import, as the package's index does: code that awaited it once may parse synchronously after.
const loading = createModule().then((m) => {
  mod = m;
});

export function loadModule(): Promise<void> {
  return loading;
}

function loaded(): PgModule {
  if (!mod) throw new Error('WASM module not initialized. Call loadModule() first.');
  return mod;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Copies `text` into WASM memory as NUL-terminated UTF-8; the caller frees it. */
function toWasm(m: PgModule, text: string): number {
  const size = Buffer.byteLength(text, 'utf8');
  const ptr = m._malloc(size + 1);
  // Read after _malloc: growing the memory replaces the view.
  const heap = m.HEAPU8;
  encoder.encodeInto(text, heap.subarray(ptr, ptr + size));
  heap[ptr + size] = 0;
  return ptr;
}

/** The NUL-terminated UTF-8 string at `ptr`. */
function fromWasm(m: PgModule, ptr: number): string {
  if (!ptr) return '';
  const heap = m.HEAPU8;
  const end = heap.indexOf(0, ptr);
  return decoder.decode(heap.subarray(ptr, end < 0 ? heap.length : end));
}

export function parseSync(query: string): ParseResult {
  const m = loaded();
  if (query === null || query === undefined) throw new Error('Query cannot be null or undefined');
  if (query === '') throw new Error('Query cannot be empty');
  const queryPtr = toWasm(m, query);
  let resultPtr = 0;
  try {
    resultPtr = m._wasm_parse_query_raw(queryPtr);
    if (!resultPtr) throw new Error('Failed to parse query: memory allocation failed');
    // PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error }
    const words = m.HEAPU32;
    const treePtr = words[resultPtr >> 2];
    const errorPtr = words[(resultPtr + 8) >> 2];
    if (errorPtr) {
      // PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos; … }
      const at = errorPtr >> 2;
      const message = words[at] ? fromWasm(m, words[at]) : 'Unknown error';
      const functionName = words[at + 1] ? fromWasm(m, words[at + 1]) : undefined;
      const fileName = words[at + 2] ? fromWasm(m, words[at + 2]) : undefined;
      const lineno = m.HEAPU32[at + 3] | 0;
      const cursorpos = m.HEAPU32[at + 4] | 0;
      // A syntax error is data (a file of regression tests has thousands), not a bug: no stack trace is taken.
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      const error = new SqlError(message, { message, cursorPosition: cursorpos > 0 ? cursorpos - 1 : 0, fileName, functionName, lineNumber: lineno > 0 ? lineno : undefined });
      Error.stackTraceLimit = limit;
      throw error;
    }
    if (!treePtr) throw new Error('No parse tree generated');
    return JSON.parse(fromWasm(m, treePtr)) as ParseResult;
  } finally {
    m._free(queryPtr);
    if (resultPtr) m._wasm_free_parse_result(resultPtr);
  }
}

/** Calls one of the module's functions that answer a string (JSON, or an error message), and frees both. */
function stringCall(m: PgModule, query: string, fn: (ptr: number) => number): string {
  const queryPtr = toWasm(m, query);
  let resultPtr = 0;
  try {
    resultPtr = fn(queryPtr);
    return fromWasm(m, resultPtr);
  } finally {
    m._free(queryPtr);
    if (resultPtr) m._wasm_free_string(resultPtr);
  }
}

export function scanSync(query: string): ScanResult {
  const m = loaded();
  const result = stringCall(m, query, (p) => m._wasm_scan(p));
  if (result.startsWith('syntax error') || result.startsWith('deparse error') || result.startsWith('ERROR')) throw new Error(result);
  return JSON.parse(result) as ScanResult;
}

export function parsePlPgSQLSync(query: string): ParseResult {
  const m = loaded();
  const result = stringCall(m, query, (p) => m._wasm_parse_plpgsql(p));
  // Success is always a JSON object; anything else is an error message.
  if (!result.startsWith('{')) throw new Error(result);
  return JSON.parse(result) as ParseResult;
}
