/**
 * Syntax tree of a Prisma schema. Every node has `start`/`end` UTF-16 offsets into the text of
 * the file it came from; list items (blocks, fields, attributes, enum values, config entries)
 * also carry that file's path, so a schema merged from a `prisma/schema/` folder stays placeable.
 */
import type { Comment } from './lexer';

export type { Comment } from './lexer';

export interface Range {
  start: number;
  end: number;
}

export interface Identifier extends Range {
  /** For paths such as `db.VarChar` the whole dotted name. */
  name: string;
}

export type Expression = StringLiteral | NumberLiteral | ConstantRef | ArrayExpression | FunctionCall;

export interface StringLiteral extends Range {
  kind: 'string';
  /** The unescaped value. */
  value: string;
}

export interface NumberLiteral extends Range {
  kind: 'number';
  value: number;
  /** As written (keeps `1.50` or `-0`). */
  raw: string;
}

/** A bare name used as a value: `Cascade`, `true`, `Desc`, `Hash`, an enum value. */
export interface ConstantRef extends Range {
  kind: 'constant';
  name: string;
}

export interface ArrayExpression extends Range {
  kind: 'array';
  items: Expression[];
}

/** `now()`, `env("DATABASE_URL")`, and field references with arguments in index lists: `title(sort: Desc)`. */
export interface FunctionCall extends Range {
  kind: 'function';
  name: Identifier;
  args: Argument[];
}

export interface Argument extends Range {
  /** `fields` in `fields: [a]`; absent for positional arguments. */
  name?: Identifier;
  value: Expression;
}

/** Block attributes (`@@index`…) have their own line and so their own comments; field attributes have none. */
export interface Attribute extends Range, Trivia {
  file: string;
  /** `@x` on a field or enum value, `@@x` on a block. */
  level: 'field' | 'block';
  /** Without the `@`/`@@`: `id`, `default`, `db.VarChar`, `@@index` → `index`. */
  name: Identifier;
  args: Argument[];
  /** Whether `(…)` was written (`@id()` vs `@id`). */
  hasParens: boolean;
}

export interface IgnoreDirective extends Range {
  /** `pgvet-ignore` applies to the node it is attached to; `pgvet-ignore-file` to the whole file. */
  scope: 'node' | 'file';
  /** Rule ids with their ranges; empty means every rule. */
  rules: { id: string; start: number; end: number }[];
}

/** Comments that belong to a declaration: the ones before it and one on its own line after it. */
export interface Trivia {
  leadingComments: Comment[];
  trailingComment?: Comment;
  /** Text of the `///` comments directly above, joined with newlines (what Prisma calls documentation). */
  documentation?: string;
  /** `// pgvet-ignore …` comments above the declaration or at the end of its line. */
  ignores: IgnoreDirective[];
}

export interface FieldType extends Range {
  /** `String`, a model, enum or composite type name, or `Unsupported`. */
  name: Identifier;
  optional: boolean;
  list: boolean;
  /** The database type string of `Unsupported("…")`. */
  unsupported?: StringLiteral;
}

export interface Field extends Range, Trivia {
  file: string;
  name: Identifier;
  type: FieldType;
  attributes: Attribute[];
}

export interface ConfigEntry extends Range, Trivia {
  file: string;
  key: Identifier;
  value: Expression;
}

export interface EnumValue extends Range, Trivia {
  file: string;
  name: Identifier;
  attributes: Attribute[];
}

interface BlockBase extends Range, Trivia {
  file: string;
  /** The keyword (`model`, `enum`, …) as written. */
  keyword: Identifier;
  name: Identifier;
  /** Range of `{ … }`. */
  body: Range;
}

/** `model`, `view` and composite `type` blocks share their shape. */
export interface ModelBlock extends BlockBase {
  kind: 'model' | 'view' | 'type';
  fields: Field[];
  attributes: Attribute[];
}

export interface EnumBlock extends BlockBase {
  kind: 'enum';
  values: EnumValue[];
  attributes: Attribute[];
}

export interface ConfigBlock extends BlockBase {
  kind: 'datasource' | 'generator';
  entries: ConfigEntry[];
}

/** A block with a keyword Prisma does not know; its body is skipped. */
export interface UnknownBlock extends BlockBase {
  kind: 'unknown';
}

export type Block = ModelBlock | EnumBlock | ConfigBlock | UnknownBlock;

export interface PrismaDiagnostic extends Range {
  file: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface PrismaFile {
  path: string;
  text: string;
  blocks: Block[];
  /** Every comment of the file in order, including those attached to declarations. */
  comments: Comment[];
  /** Every ignore directive of the file, including `pgvet-ignore-file` ones. */
  ignores: IgnoreDirective[];
  diagnostics: PrismaDiagnostic[];
}

/** One schema, possibly spread over several files (prismaSchemaFolder). */
export interface PrismaSchema {
  files: PrismaFile[];
  /** Blocks of all files, in file order; each knows its `file`. */
  blocks: Block[];
  diagnostics: PrismaDiagnostic[];
}
