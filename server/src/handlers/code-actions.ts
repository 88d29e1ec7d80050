import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextDocumentEdit,
  type WorkspaceEdit,
  CreateFile,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnosticData, type FixData } from './diagnostic-data';
import { findingToDiagnostic } from './diagnostics';
import type { Linter } from './linting';
import { uriToPath } from './project-config';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.pgvet`;

function workspaceEdit(doc: TextDocument, fix: FixData): WorkspaceEdit {
  const own: TextDocumentEdit = { textDocument: { uri: doc.uri, version: doc.version }, edits: fix.edits };
  if (!fix.createFiles?.length) return { documentChanges: [own] };
  const changes: WorkspaceEdit['documentChanges'] = fix.edits.length ? [own] : [];
  for (const f of fix.createFiles) {
    const uri = createdFileUri(doc, f.relativePath);
    changes.push(CreateFile.create(uri, { ignoreIfExists: true }));
    changes.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: f.content }] });
  }
  return { documentChanges: changes };
}

/**
 * The command a code action that creates SQL files runs after its edit: the server asks the editor to show the
 * first one (`window/showDocument`), so a new migration is opened, not left unseen in the explorer.
 */
export const SHOW_CREATED_FILE_COMMAND = 'pgvet.server.showCreatedFile';

function createdFileUri(doc: TextDocument, relativePath: string): string {
  return pathToFileURL(join(dirname(uriToPath(doc.uri) ?? ''), relativePath)).toString();
}

function action(doc: TextDocument, fix: FixData, diagnostic: Diagnostic, preferred = false): CodeAction {
  // A new migration or down file is shown; a created metadata.toml or .conf beside the edited file is not.
  const first = fix.createFiles?.find((f) => /\.sql$/i.test(f.relativePath));
  const command = first && { title: 'Show the created file', command: SHOW_CREATED_FILE_COMMAND, arguments: [createdFileUri(doc, first.relativePath)] };
  return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred || undefined, edit: workspaceEdit(doc, fix), command };
}

/** The argument of SHOW_CREATED_FILE_COMMAND: one file URI, else undefined. */
export function createdFileArgument(args: unknown[] | undefined): string | undefined {
  const uri = args?.[0];
  return typeof uri === 'string' && uri.startsWith('file:') ? uri : undefined;
}

/**
 * Quick fixes come from `Diagnostic.data`, written at lint time; a diagnostic from an
 * older version of the document gets a disabled action instead of a wrong edit.
 */
export function codeActions(doc: TextDocument, params: CodeActionParams, linter: Linter): CodeAction[] {
  const only = params.context.only;
  const wantsQuickFix = !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix));
  const wantsFixAll = !only || only.some((k) => FIX_ALL_KIND.startsWith(k) || k === CodeActionKind.Source);
  const out: CodeAction[] = [];
  if (wantsQuickFix) {
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== 'pgvet') continue;
      const parsed = diagnosticData.safeParse(diagnostic.data);
      if (!parsed.success) continue;
      const data = parsed.data;
      if (data.version !== doc.version) {
        out.push({ title: `Fix ${data.ruleId}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], disabled: { reason: 'The document changed since this problem was found; wait for pgvet to check it again.' } });
        continue;
      }
      if (data.fix) out.push(action(doc, data.fix, diagnostic, true));
      for (const other of data.otherFixes ?? []) out.push(action(doc, other, diagnostic));
      if (data.ignoreStatement) out.push(action(doc, data.ignoreStatement, diagnostic));
      if (data.ignoreFile) out.push(action(doc, data.ignoreFile, diagnostic));
    }
  }
  if (wantsFixAll) {
    const all = fixAll(doc, linter);
    if (all) out.push(all);
  }
  return out;
}

/** One action with every safe fix of the document's current findings that do not overlap. */
export function fixAll(doc: TextDocument, linter: Linter): CodeAction | undefined {
  const linted = linter.lastResult(doc.uri);
  if (!linted || linted.version !== doc.version) return undefined;
  const fixes = linted.findings.filter((f) => f.fix && f.fixSafe && !f.fix.createFiles?.length);
  if (fixes.length === 0) return undefined;
  const edits: { start: number; end: number; newText: string }[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of fixes) {
    const overlaps = f.fix!.edits.some((e) => edits.some((x) => e.start < x.end && x.start < e.end));
    if (overlaps) continue;
    edits.push(...f.fix!.edits);
    diagnostics.push(findingToDiagnostic(doc, linted.suppressions, f, linter.textOf));
  }
  return {
    title: `Fix all auto-fixable pgvet problems (${diagnostics.length})`,
    kind: FIX_ALL_KIND,
    diagnostics,
    edit: {
      documentChanges: [
        { textDocument: { uri: doc.uri, version: doc.version }, edits: edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText })) },
      ],
    },
  };
}
