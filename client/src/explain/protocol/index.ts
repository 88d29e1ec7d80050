/**
 * What the EXPLAIN panel's host (client/src/explain/panel) and its webview (media/explain) share, and the only
 * module the webview imports: the messages and the plan view they carry (zod schemas), and the pure functions
 * both sides run on a plan view (titles, text, the diff of two plans).
 */
export * from './messages';
export * from './plan-text';
export * from './plan-diff';
