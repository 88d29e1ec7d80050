/** Output marker: run-in-code-server.ts picks these lines out of the page's console. No vscode import here. */
export const REPORT_MARKER = '[pgvet-e2e]';

export function report(message: string): void {
  for (const line of message.split('\n')) console.log(`${REPORT_MARKER} ${line}`);
}

/** Prefix of the line with VS Code's activation marks for pgvet (suite/activation.test.ts → run-in-code-server.ts). */
export const ACTIVATION_MARKS = 'activation marks:';
