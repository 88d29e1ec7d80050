import { setFlagsFromString } from 'node:v8';

/**
 * A lint run is short and busy: V8 optimised ~120 of its functions some 580 times (each AST shape it meets anew
 * throws the optimised code away), and on a whole corpus that background compiling cost as much CPU as a third
 * of the run. Waiting for ~8× more calls before optimising a function leaves the compiling to the functions that
 * stay hot: -30 % CPU on the corpus, the lint itself no slower. Process-wide, so the lint workers share it; the
 * language server, which runs for hours, keeps V8's default. Loaded before anything else runs.
 */
const major = Number(process.versions.node.split('.')[0]);
// The flag exists in the V8 of every Node pgvet supports; a later V8 that dropped it would only warn.
if (major >= 20 && major <= 24) setFlagsFromString('--interrupt-budget=1000000');
