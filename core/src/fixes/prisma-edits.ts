/**
 * Edits on a Prisma schema that leave it as `prisma format` prints it, so a quick fix never leaves the
 * schema "dirty" for the formatter. The rules are those of prisma-engines' `reformat` (checked against
 * `@prisma/prisma-schema-wasm` in test/unit/prisma-edits.test.ts):
 * - two-space indent;
 * - within a group of fields (consecutive lines: a blank line ends a group, `///` and `//` lines do not)
 *   name, type and attributes are columns, each padded to its widest cell plus one space, widths counted in
 *   UTF-8 bytes; a row's last cell is not padded, and a trailing `// comment` follows it after one space
 *   (comments are not a column);
 * - attributes are sorted: `id`, `unique`, `default`, `updatedAt`, `index`, `fulltext`, `map`, `relation`,
 *   `ignore`, then the rest in their written order; block attributes come last, after one blank line.
 * Adding a field or an attribute may widen a column, so the edits re-align every line of the group that changes.
 */
import type { Attribute, Field, ModelBlock, PrismaFile } from '../parse/prisma/ast';
import type { PrismaDatabaseModel, PrismaSource, PrismaTable, SourceRef } from '../parse/prisma/schema-model';
export type { PrismaSource } from '../parse/prisma/schema-model';
import type { PrismaSchema } from '../parse/prisma/ast';
import type { TextEdit } from '../rule-kit/fix';
import { removeCommentEdit } from './edits';
import { utf8Length } from '../parse/prisma/naming';

const INDENT = '  ';

/** prisma-engines' `get_sort_index_of_attribute`: the formatter sorts field and block attributes by this (stably). */
const ATTRIBUTE_ORDER = ['id', 'unique', 'default', 'updatedAt', 'index', 'fulltext', 'map', 'relation', 'ignore'];

function attributeRank(name: string): number {
  const k = ATTRIBUTE_ORDER.indexOf(name);
  return k < 0 ? ATTRIBUTE_ORDER.length : k;
}

/** `@id`, `@@index([a])`, `@db.Uuid` → `id`, `index`, `db.Uuid`. */
function attributeNameOf(text: string): string {
  return /^@@?([\w.]+)/.exec(text)?.[1] ?? text;
}

export interface NewField {
  name: string;
  /** With `?` or `[]`. */
  type: string;
  attributes?: string[];
  /** Trailing comment, with its `//`. */
  comment?: string;
}

/** One field line: name, type and attributes (joined by one space) as columns, and a trailing comment after them. */
interface Row {
  cells: string[];
  comment?: string;
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

function rowOf(file: PrismaFile, field: Field): Row {
  const t = file.text;
  const start = lineStartOf(t, field.start);
  return {
    cells: [field.name.name, t.slice(field.type.start, field.type.end), field.attributes.map((a) => t.slice(a.start, a.end)).join(' ')],
    comment: field.trailingComment && t.slice(field.trailingComment.start, field.trailingComment.end).trimEnd(),
    line: { start, end: lineEndOf(t, field.end) },
  };
}

function newRow(f: NewField): Row {
  const attributes = [...(f.attributes ?? [])].sort((a, b) => attributeRank(attributeNameOf(a)) - attributeRank(attributeNameOf(b)));
  return { cells: [f.name, f.type, attributes.join(' ')], comment: f.comment };
}

/** Renders rows the way Prisma's TableFormat does. */
function render(rows: Row[]): string[] {
  const cellsOf = rows.map((r) => {
    const cells = [...r.cells];
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    return cells;
  });
  const widths: number[] = [];
  for (const cells of cellsOf) cells.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, utf8Length(c))));
  return rows.map((r, k) => {
    const cells = cellsOf[k];
    const body = cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i] - utf8Length(c) + 1))).join('');
    return INDENT + (r.comment ? (body ? `${body} ${r.comment}` : r.comment) : body);
  });
}

/** The fields of a model split into the formatter's alignment groups. */
function fieldGroups(file: PrismaFile, model: ModelBlock): Field[][] {
  const groups: Field[][] = [];
  let current: Field[] = [];
  let previous: Field | undefined;
  for (const field of model.fields) {
    if (previous) {
      // The whole lines between the two fields (each ends with a newline).
      const between = file.text.slice(lineEndOf(file.text, previous.end) + 1, lineStartOf(file.text, field.start));
      if (between.split('\n').slice(0, -1).some((l) => l.trim() === '')) {
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
  const lines = render(rows);
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
    const lines = render(fields.map(newRow));
    return [{ start: model.body.start + 1, end: model.body.start + 1, newText: lines.map((l) => `\n${l}`).join('') }];
  }
  return groupEdits(file, [...last.map((f) => rowOf(file, f)), ...fields.map(newRow)]);
}

/** Adds a field attribute (`@id`) to a field where the formatter's order puts it, re-aligning the field's group. */
export function addFieldAttribute(file: PrismaFile, model: ModelBlock, field: Field, attribute: string): TextEdit[] | undefined {
  if (!isMultiline(file, model)) return undefined;
  const group = fieldGroups(file, model).find((g) => g.includes(field));
  if (!group) return undefined;
  const rows = group.map((f) => rowOf(file, f));
  const rank = attributeRank(attributeNameOf(attribute));
  const attributes = field.attributes.map((a) => file.text.slice(a.start, a.end));
  const at = field.attributes.findIndex((a) => attributeRank(a.name.name) > rank);
  attributes.splice(at < 0 ? attributes.length : at, 0, attribute);
  rows[group.indexOf(field)].cells[2] = attributes.join(' ');
  return groupEdits(file, rows);
}

/** The start of the line of `attr`, or of the comment lines right above it, which the formatter keeps with it. */
function attributeBlockStart(text: string, attr: Attribute): number {
  let start = lineStartOf(text, attr.start);
  while (start > 0) {
    const previous = lineStartOf(text, start - 1);
    if (!text.slice(previous, start - 1).trim().startsWith('//')) break;
    start = previous;
  }
  return start;
}

/**
 * Adds a block attribute (`@@index([a, b])`) where `prisma format` puts it: among the model's `@@`
 * attributes in the formatter's order (so before `@@map` and `@@schema`), or, when the model has none,
 * after its last line and a blank line.
 */
export function insertBlockAttribute(file: PrismaFile, model: ModelBlock, attribute: string): TextEdit | undefined {
  if (!isMultiline(file, model)) return undefined;
  const text = file.text;
  const line = `${INDENT}@@${attribute}`;
  const rank = attributeRank(attributeNameOf(`@@${attribute}`));
  const after = model.attributes.find((a) => attributeRank(a.name.name) > rank);
  if (after) {
    const start = attributeBlockStart(text, after);
    return { start, end: start, newText: `${line}\n` };
  }
  const lastAttr = model.attributes[model.attributes.length - 1];
  if (lastAttr) {
    const end = lineEndOf(text, lastAttr.end);
    return { start: end, end, newText: `\n${line}` };
  }
  // After the last line of the body that is not blank (a field or a comment after the fields).
  const close = model.body.end - 1;
  let end = lineStartOf(text, close) - 1;
  while (lineStartOf(text, end) > model.body.start && text.slice(lineStartOf(text, end), end).trim() === '') end = lineStartOf(text, end) - 1;
  // Nothing in the body: no blank line after `{`.
  if (lineStartOf(text, end) <= model.body.start) return { start: model.body.start + 1, end: model.body.start + 1, newText: `\n${line}` };
  return { start: end, end, newText: `\n\n${line}` };
}

/** The model block, its file and its database table for a catalog origin on a model (the table's origin). */
export function prismaModelAt(prisma: PrismaSource | undefined, origin: SourceRef): { file: PrismaFile; block: ModelBlock; table: PrismaTable } | undefined {
  if (!prisma || !origin.file.endsWith('.prisma')) return undefined;
  const file = filesByPath(prisma.schema).get(origin.file);
  const models = modelsByFile(prisma.model).get(origin.file) ?? [];
  // The last model starting at or before the origin (models do not overlap), by binary search.
  let lo = 0;
  let hi = models.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (models[mid].source.start <= origin.start) lo = mid + 1;
    else hi = mid;
  }
  const table = models[lo - 1];
  if (!file || !table || origin.start >= table.source.end) return undefined;
  const block = modelBlocksByStart(file).get(table.source.start);
  return block && { file, block, table };
}

/*
 * Lookups built once per parsed schema: a rule asks prismaModelAt for each finding, and scanning every model
 * each time made a schema of 90,000 models related to one take minutes.
 */
const filesCache = new WeakMap<PrismaSchema, Map<string, PrismaFile>>();
const modelsCache = new WeakMap<PrismaDatabaseModel, Map<string, PrismaTable[]>>();
const blocksCache = new WeakMap<PrismaFile, Map<number, ModelBlock>>();

function filesByPath(schema: PrismaSchema): Map<string, PrismaFile> {
  let byPath = filesCache.get(schema);
  if (!byPath) {
    byPath = new Map();
    for (const f of schema.files) if (!byPath.has(f.path)) byPath.set(f.path, f);
    filesCache.set(schema, byPath);
  }
  return byPath;
}

function modelsByFile(model: PrismaDatabaseModel): Map<string, PrismaTable[]> {
  let byFile = modelsCache.get(model);
  if (!byFile) {
    byFile = new Map();
    for (const t of model.tables) {
      if (t.kind !== 'model') continue;
      const list = byFile.get(t.source.file) ?? [];
      list.push(t);
      byFile.set(t.source.file, list);
    }
    for (const list of byFile.values()) list.sort((a, b) => a.source.start - b.source.start);
    modelsCache.set(model, byFile);
  }
  return byFile;
}

function modelBlocksByStart(file: PrismaFile): Map<number, ModelBlock> {
  let byStart = blocksCache.get(file);
  if (!byStart) {
    byStart = new Map();
    for (const b of file.blocks) if (b.kind === 'model' && !byStart.has(b.start)) byStart.set(b.start, b);
    blocksCache.set(file, byStart);
  }
  return byStart;
}

/** The Prisma field names of database columns of a model (undefined when one has none, e.g. a column only in SQL). */
export function fieldNamesOf(table: PrismaTable, columns: string[]): string[] | undefined {
  const names = columns.map((c) => table.columns.find((col) => col.name === c)?.field);
  return names.every((n): n is string => n !== undefined) ? names : undefined;
}

/**
 * Removes a comment from a Prisma file: its whole line when it is alone on it, else the comment and the
 * spaces before it, since `prisma format` leaves no space at the end of a line.
 */
export function removePrismaCommentEdit(text: string, start: number, end: number): TextEdit {
  const edit = removeCommentEdit(text, start, end);
  if (edit.start !== start) return edit;
  let from = start;
  while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  return { ...edit, start: from };
}
