/** `pgvet lint`'s options (node:util parseArgs), shared by the CLI's start (cli-start.ts) and the engine (cli.ts). */
export const LINT_OPTIONS = {
  format: { type: 'string', default: 'human' },
  'max-severity': { type: 'string', default: 'warning' },
  config: { type: 'string' },
  since: { type: 'string' },
  jobs: { type: 'string' },
  'no-cache': { type: 'boolean' },
  'cache-dir': { type: 'string' },
  'cache-stats': { type: 'boolean' },
  color: { type: 'boolean', default: true },
  'no-color': { type: 'boolean' },
  'write-baseline': { type: 'boolean' },
  'no-baseline': { type: 'boolean' },
  'database-url': { type: 'string' },
  schema: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;
