/** The VS Code webview API, acquired once (VS Code allows one call per page). */
import type { PanelState, WebviewMessage } from '../../client/src/explain/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function getSavedState(): unknown {
  return api.getState();
}

let pending: PanelState | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;

/**
 * setState sends the whole state to the extension host; a large plan makes that costly, so UI
 * changes (selection, collapse, filter) are saved at most every 250 ms.
 */
export function saveState(state: PanelState, immediately = false): void {
  pending = state;
  if (immediately) {
    flush();
    return;
  }
  timer ??= setTimeout(flush, 250);
}

function flush(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (pending) api.setState(pending);
  pending = undefined;
}
