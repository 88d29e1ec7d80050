import { config } from 'zod';

/**
 * zod's interpreted parser for the CLI. By default zod compiles each object schema into a function (`new Function`)
 * the first time it parses with it, which pays back over thousands of parses; a lint run parses each pgvet.json and
 * each rule's options a few times, so the compiling was a tenth of a one-file run's CPU. zod reads the setting
 * when a schema is made: this module has to run before any module that makes one (cli.ts imports it second). The
 * language server, which runs for hours, keeps zod's default.
 */
config({ jitless: true });
