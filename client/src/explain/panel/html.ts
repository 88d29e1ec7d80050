/**
 * The EXPLAIN panel's HTML. Pure (no vscode import) so tests load exactly what VS Code loads.
 * Only the nonce'd bundle may run; styles, images and fonts come from the extension's own files
 * (`cspSource`); there is no inline style, no remote resource and no plan content in this page.
 */
export interface PanelHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Fresh per render: base64 or hex, at least 128 bits. */
  nonce: string;
  /** `webview.asWebviewUri(dist/media/explain.js)`, as a string. */
  scriptUri: string;
  styleUri: string;
}

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function contentSecurityPolicy({ cspSource, nonce }: Pick<PanelHtmlOptions, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function renderHtml(options: PanelHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(options.nonce)) throw new Error('renderHtml: the nonce must be at least 16 base64/hex characters');
  const csp = escapeAttribute(contentSecurityPolicy(options));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>EXPLAIN ANALYZE</title>
</head>
<body>
<div id="app" class="app"><p class="placeholder">Waiting for a plan…</p></div>
<script nonce="${escapeAttribute(options.nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>
`;
}

/** 128 random bits, base64url. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
