import { setFlagsFromString } from 'node:v8';

/**
 * V8 tuned for a lint run, which is short and busy. Process-wide, so the lint workers share it; the language
 * server, which runs for hours, keeps V8's defaults. Loaded before anything else runs (the parser's WASM is
 * compiled when its module loads).
 *
 * - `--interrupt-budget`: V8 optimised ~120 of the run's functions some 580 times (each AST shape it meets anew
 *   throws the optimised code away), and on a whole corpus that background compiling cost as much CPU as a third
 *   of the run. Waiting for ~8× more calls before optimising leaves it to the functions that stay hot: −30 % CPU
 *   on the corpus, the lint itself no slower.
 * - `--liftoff-only`: libpg-query's 1.7 MB of WASM compiled by V8's baseline compiler only. Its optimising
 *   compiler spent ~0.2 s of CPU on the module in the background, more than its faster code gave back even on the
 *   whole corpus: one file 0.36 → 0.16 s CPU, 820 files 0.69 → 0.50 s.
 */
const major = Number(process.versions.node.split('.')[0]);
// Both flags exist in the V8 of every Node pgvet supports; a later V8 that dropped one would only warn.
if (major >= 20 && major <= 24) setFlagsFromString('--interrupt-budget=1000000 --liftoff-only');
