import { StreamMessageReader, StreamMessageWriter, type MessageReader, type MessageWriter } from 'vscode-languageserver/node';

/**
 * The reader and writer for `--stdio` (VS Code's own client uses IPC; other editors and the tests use stdio).
 *
 * vscode-jsonrpc's stream reader reports a malformed header (a Content-Length that is not a number, a header line
 * without `:`, no Content-Length) as an error and then goes on reading from a wrong offset: every later message
 * is lost and the server never answers again. Which bytes belong to which message cannot be known after that, so
 * the server says why on stderr and exits with 1; the editor's client restarts it. A body that is not JSON under
 * a good header leaves the framing intact, so that one is only logged.
 */
export function stdioTransport(argv: readonly string[], exit: (code: number) => void = (code) => process.exit(code)): [MessageReader, MessageWriter] | undefined {
  if (!argv.includes('--stdio')) return undefined;
  const reader = new StreamMessageReader(process.stdin);
  const writer = new StreamMessageWriter(process.stdout);
  reader.onError((e) => {
    if (e instanceof SyntaxError) {
      process.stderr.write(`pgvet: ignored a message that is not JSON: ${e.message}\n`);
      return;
    }
    process.stderr.write(`pgvet: malformed message header from the editor, exiting so it can restart the server: ${e.message}\n`);
    exit(1);
  });
  return [reader, writer];
}
