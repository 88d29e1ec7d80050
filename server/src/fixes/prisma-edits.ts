/**
 * Edits on a Prisma schema that leave it as `prisma format` would print it, so a quick fix never
 * leaves the schema "dirty" for the formatter: two-space indent, and within each group of fields
 * (fields on consecutive lines; a blank line or a block attribute ends a group, `///` and `//`
 * lines inside do not) the name, type, attributes and trailing comment aligned in columns, one
 * space at least between them. Adding a field or an attribute may widen a column, so the edits
 * re-align every line of the group that changes.
 */
import type { Field, ModelBlock, PrismaFile } from '../parse/prisma/ast';
import type { PrismaDatabaseModel, PrismaTable, SourceRef } from '../parse/prisma/schema-model';
import type { PrismaSchema } from '../parse/prisma/ast';
import type { TextEdit } from '../engine/types';

const INDENT = '  ';

export interface NewField {
  name: string;
  /** With `?` or `[]`. */
  type: string;
  attributes?: string[];
  /** Trailing comment, with its `//`. */
  comment?: string;
}

/** One field line as columns: name, type, attributes (joined by one space), trailing comment. */
interface Row {
  cells: string[];
  /** The line this row replaces; absent for an inserted field. */
  line?: { start: number; end: number };
}

function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function lineEndOf(text: string, pos: number): number {
  const end = text.indexOf('\n', pos);
  return end < 0 ? text.length : end;
}

function cellsOf(file: PrismaFile, field: Field): string[] {
  const t = file.text;
  const cells = [field.name.name, t.slice(field.type.start, field.type.end), field.attributes.map((a) => t.slice(a.start, a.end)).join(' ')];
  if (field.trailingComment) cells.push(t.slice(field.trailingComment.start, field.trailingComment.end).trimEnd());
  return cells;
}

function newCells(f: NewField): string[] {
  const cells = [f.name, f.type, (f.attributes ?? []).join(' ')];
  if (f.comment) cells.push(f.comment);
  return cells;
}

/** Renders rows the way Prisma's table formatter does: every column padded to its widest cell, trailing spaces dropped. */
function render(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => INDENT + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join(' ').trimEnd());
}

/** The fields of a model split into Prisma's alignment groups. */
function fieldGroups(file: PrismaFile, model: ModelBlock): Field[][] {
  const groups: Field[][] = [];
  let current: Field[] = [];
  let previous: Field | undefined;
  for (const field of model.fields) {
    if (previous) {
      // The whole lines between the two fields (each ends with a newline).
      const between = file.text.slice(lineEndOf(file.text, previous.end) + 1, lineStartOf(file.text, field.start));
      const prev = previous;
      const broken = between.split('\n').slice(0, -1).some((l) => l.trim() === '')
        || model.attributes.some((a) => a.start > prev.end && a.start < field.start);
      if (broken) {
        groups.push(current);
        current = [];
      }
    }
    current.push(field);
    previous = field;
  }
  if (current.length) groups.push(current);
  return groups;
}

/** Edits that turn the group's lines into `rows` rendered, plus the new rows inserted after the group's last line. */
function groupEdits(file: PrismaFile, rows: Row[]): TextEdit[] {
  const lines = render(rows.map((r) => r.cells));
  const edits: TextEdit[] = [];
  let lastLineEnd = -1;
  const inserted: string[] = [];
  rows.forEach((r, i) => {
    if (r.line) {
      if (file.text.slice(r.line.start, r.line.end) !== lines[i]) edits.push({ start: r.line.start, end: r.line.end, newText: lines[i] });
      lastLineEnd = r.line.end;
    } else {
      inserted.push(lines[i]);
    }
  });
  if (inserted.length) edits.push({ start: lastLineEnd, end: lastLineEnd, newText: inserted.map((l) => `\n${l}`).join('') });
  return edits;
}

function rowOf(file: PrismaFile, field: Field): Row {
  const start = lineStartOf(file.text, field.start);
  return { cells: cellsOf(file, field), line: { start, end: lineEndOf(file.text, field.end) } };
}

/** Whether the model is laid out one declaration per line (single-line models are left alone). */
function isMultiline(file: PrismaFile, model: ModelBlock): boolean {
  return file.text.slice(model.body.start, model.body.end).includes('\n')
    && model.fields.every((f) => !file.text.slice(lineStartOf(file.text, f.start), f.start).includes('{') && !file.text.slice(f.end, lineEndOf(file.text, f.end)).includes('}'));
}

/**
 * Adds fields at the end of the model's last field group, re-aligning that group.
 * Undefined when the model is not laid out one field per line.
 */
export function insertFields(file: PrismaFile, model: ModelBlock, fields: NewField[]): TextEdit[] | undefined {
  if (!isMultiline(file, model) || fields.length === 0) return undefined;
  const groups = fieldGroups(file, model);
  const last = groups[groups.length - 1];
  if (!last) {
    // An empty model: the fields go on their own lines after `{`.
    const lines = render(fields.map(newCells));
    return [{ start: model.body.start + 1, end: model.body.start + 1, newText: lines.map((l) => `\n${l}`).join('') }];
  }
  return groupEdits(file, [...last.map((f) => rowOf(file, f)), ...fields.map((f) => ({ cells: newCells(f) }))]);
}

/** Adds a field attribute (`@id`) to a field, first or last among its attributes, re-aligning its group. */
export function addFieldAttribute(file: PrismaFile, model: ModelBlock, field: Field, attribute: string, position: 'first' | 'last' = 'first'): TextEdit[] | undefined {
  if (!isMultiline(file, model)) return undefined;
  const group = fieldGroups(file, model).find((g) => g.includes(field));
  if (!group) return undefined;
  const rows = group.map((f) => rowOf(file, f));
  const row = rows[group.indexOf(field)];
  const attrs = row.cells[2];
  row.cells[2] = attrs === '' ? attribute : position === 'first' ? `${attribute} ${attrs}` : `${attrs} ${attribute}`;
  return groupEdits(file, rows);
}

/**
 * Adds a block attribute (`@@index([a, b])`) at the end of the model: after its last `@@` attribute,
 * or, when it has none, after the fields and a blank line, as `prisma format` lays models out.
 */
export function insertBlockAttribute(file: PrismaFile, model: ModelBlock, attribute: string): TextEdit | undefined {
  if (!isMultiline(file, model)) return undefined;
  const text = file.text;
  const lastAttr = model.attributes[model.attributes.length - 1];
  const lastField = model.fields[model.fields.length - 1];
  if (lastAttr && (!lastField || lastAttr.start > lastField.start)) {
    const end = lineEndOf(text, lastAttr.end);
    return { start: end, end, newText: `\n${INDENT}@@${attribute}` };
  }
  if (lastField) {
    const end = lineEndOf(text, lastField.end);
    return { start: end, end, newText: `\n\n${INDENT}@@${attribute}` };
  }
  return { start: model.body.start + 1, end: model.body.start + 1, newText: `\n${INDENT}@@${attribute}` };
}

/** The parsed schema and what it creates in the database, as the schema rules see them for a .prisma origin. */
export interface PrismaSource {
  schema: PrismaSchema;
  model: PrismaDatabaseModel;
}

/** The model block, its file and its database table for a catalog origin on a model (the table's origin). */
export function prismaModelAt(prisma: PrismaSource | undefined, origin: SourceRef): { file: PrismaFile; block: ModelBlock; table: PrismaTable } | undefined {
  if (!prisma || !origin.file.endsWith('.prisma')) return undefined;
  const file = prisma.schema.files.find((f) => f.path === origin.file);
  const table = prisma.model.tables.find((t) => t.kind === 'model' && t.source.file === origin.file && t.source.start <= origin.start && origin.start < t.source.end);
  if (!file || !table) return undefined;
  const block = file.blocks.find((b): b is ModelBlock => b.kind === 'model' && b.start === table.source.start);
  return block && { file, block, table };
}

/** The Prisma field names of database columns of a model (undefined when one has none, e.g. a column only in SQL). */
export function fieldNamesOf(table: PrismaTable, columns: string[]): string[] | undefined {
  const names = columns.map((c) => table.columns.find((col) => col.name === c)?.field);
  return names.every((n): n is string => n !== undefined) ? names : undefined;
}
