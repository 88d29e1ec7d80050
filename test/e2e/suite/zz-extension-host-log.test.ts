/// <reference types="mocha" />
// Named to run last: it reads what the whole run left in the extension host's log.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './helpers';
import { report } from './report';

/**
 * The extension host's own log file (`remoteexthost.log` in code-server, `exthost.log` in desktop VS Code).
 * The API does not say where it is, but this process writes it, so it is among the files this process holds open.
 */
function extensionHostLog(): string | undefined {
  if (!existsSync('/proc/self/fd')) return undefined;
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed between listing and reading
    }
    if (/(^|\/)(remote)?exthost\.log$/.test(target)) return target;
  }
  return undefined;
}

/** The log's entries: a line that starts with a timestamp, with the lines (stack frames) that follow it. */
function entries(log: string): string[] {
  return log.split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \[)/);
}

suite('pgvet in VS Code: the extension host log', () => {
  test('has no configuration-scope warning for a pgvet setting and no navigator warning from pgvet\'s code', function () {
    const path = extensionHostLog();
    if (!path) {
      report('  skipped: the extension host log is not among the open files of this process (no /proc here)');
      return this.skip();
    }
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const all = entries(readFileSync(path, 'utf8'));
    // VS Code logs these when a setting is read without a resource though package.json makes it resource-scoped
    // (or with one though it is window-scoped); the key in the message is what to fix.
    const scope = all.filter((e) => /Accessing a (resource|window) scoped configuration/.test(e) && /'pgvet\./.test(e)).map((e) => e.split('\n')[0]);
    // VS Code's getter for `navigator` logs this with the stack of whoever read it: pgvet's if the stack is in its folder.
    const navigator = all.filter((e) => e.includes('navigator is now a global in nodejs') && e.includes(extensionPath)).map((e) => e.split('\n').slice(0, 6).join('\n'));
    assert.ok(all.some((e) => e.includes(`ExtensionService#_doActivateExtension ${EXTENSION_ID}`)), `${path} is the log of this run: it records pgvet's activation`);
    assert.deepEqual({ scope, navigator }, { scope: [], navigator: [] }, `pgvet warnings in ${path}: configuration read with the wrong scope, or globalThis.navigator read by pgvet's code`);
  });
});
