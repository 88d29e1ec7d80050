import type { TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * Open documents that only move forward: a `didChange` whose version is not newer than the document's is
 * ignored (vscode-languageserver's TextDocuments would apply it, and an edit meant for an older text lands in the
 * wrong place or rolls the text back), and `onStale` is told.
 */
export function forwardOnlyDocuments(onStale: (uri: string, version: number, current: number) => void): TextDocumentsConfiguration<TextDocument> {
  return {
    create: TextDocument.create,
    update(document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
      if (version <= document.version) {
        onStale(document.uri, version, document.version);
        return document;
      }
      return TextDocument.update(document, changes, version);
    },
  };
}
