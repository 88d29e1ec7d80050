import type { ResolvedConfig } from './resolve-config';
import { LineIndex } from '../parse/text';
import type { Finding, Severity } from '../rule-kit/types';

/**
 * File-level findings about the text itself, reported under syntax-error (the file is not SQL text as written):
 * a binary file is one finding and nothing else is checked (its "statements" would be hundreds of syntax errors,
 * one of them quoting the whole file); text that was not UTF-8 is one finding beside the others.
 */
export interface NotUtf8 {
  /** Offset in the decoded text of the first byte that is not UTF-8, and that byte. */
  offset: number;
  byte: number;
  /** How the CLI read the file instead (Windows-1252, as old dumps and PostgreSQL's regression files are). */
  readAs?: string;
}

function where(text: string, offset: number): string {
  const p = new LineIndex(text).positionAt(offset);
  return `line ${p.line + 1} column ${p.character + 1}`;
}

function severityOf(config: ResolvedConfig): Severity | 'off' {
  return config.rules.find((r) => r.rule.id === 'syntax-error')?.severity ?? 'error';
}

/** How much of a file's start is looked at, and what share of control characters there makes it binary. */
const SAMPLE = 8000;
const CONTROL_SHARE = 0.01;

/**
 * Whether the text is a binary file: it has a NUL, and control characters (other than tab, line breaks and form
 * feed) are at least 1 % of its first 8,000 characters. A stray NUL in a text file is not enough: that file is still
 * checked (the statement holding it fails on PostgreSQL, the others are as they are).
 */
function looksBinary(text: string): boolean {
  if (!text.includes('\0')) return false;
  const n = Math.min(text.length, SAMPLE);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d) || c === 0x7f) controls++;
  }
  return controls >= Math.max(1, n * CONTROL_SHARE);
}

/** "binary file, not checked" when the text is a binary file (see `looksBinary`). */
export function binaryFileFinding(text: string, config: ResolvedConfig): Finding | undefined {
  const severity = severityOf(config);
  if (severity === 'off' || !looksBinary(text)) return undefined;
  const at = text.indexOf('\0');
  return { ruleId: 'syntax-error', severity, message: `binary file, not checked (a NUL byte at ${where(text, at)})`, start: at, end: at + 1 };
}

/**
 * "not UTF-8 text": from the CLI's reading of the bytes (`notUtf8`), or, in the editor, from U+FFFD in the text
 * (VS Code puts it where a byte was not UTF-8; a file that means the character itself is rare).
 */
export function notUtf8Finding(text: string, config: ResolvedConfig, notUtf8?: NotUtf8): Finding | undefined {
  const severity = severityOf(config);
  if (severity === 'off') return undefined;
  if (notUtf8) {
    const hex = notUtf8.byte.toString(16).toUpperCase().padStart(2, '0');
    const read = notUtf8.readAs ? `; read as ${notUtf8.readAs}` : '';
    return { ruleId: 'syntax-error', severity: 'info', message: `not UTF-8 text (invalid byte 0x${hex} at ${where(text, notUtf8.offset)})${read}`, start: notUtf8.offset, end: notUtf8.offset + 1 };
  }
  const at = text.indexOf('\uFFFD');
  if (at < 0) return undefined;
  return {
    ruleId: 'syntax-error', severity: 'warning', start: at, end: at + 1,
    message: `not UTF-8 text (invalid byte at ${where(text, at)}, shown as U+FFFD): save the file as UTF-8, as PostgreSQL's client reads it by default`,
  };
}
