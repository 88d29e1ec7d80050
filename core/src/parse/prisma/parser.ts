/**
 * Recursive-descent parser for the Prisma Schema Language.
 *
 * Recovery is line-based, like PSL itself: a declaration that does not parse is reported and
 * skipped to the end of its line, and a line that starts a new block inside an unclosed one
 * closes it, so one typo never hides the models after it.
 */
import { lexPrisma, type Comment, type Token } from './lexer';
import { parseIgnoreDirective } from './ignores';
import type {
  Argument, ArrayExpression, Attribute, Block, ConfigBlock, ConfigEntry, EnumBlock, EnumValue, Expression,
  Field, FieldType, Identifier, IgnoreDirective, ModelBlock, PrismaDiagnostic, PrismaFile, Range, StringLiteral,
  Trivia, UnknownBlock,
} from './ast';

/** Most declarations have no comments: share one frozen empty list instead of allocating thousands. */
const NONE: never[] = Object.freeze([]) as unknown as never[];

const BLOCK_KEYWORDS = new Set(['model', 'view', 'type', 'enum', 'datasource', 'generator']);

class SyntaxError extends Error {
  /** `resumeHere`: the parser already stands at the start of a line worth keeping. */
  constructor(message: string, readonly start: number, readonly end: number, readonly resumeHere = false) {
    super(message);
  }
}

export function parsePrismaFile(text: string, path = 'schema.prisma'): PrismaFile {
  return new Parser(text, path).parseFile();
}

class Parser {
  private readonly tokens: Token[];
  private readonly comments: Comment[];
  private readonly diagnostics: PrismaDiagnostic[] = [];
  private readonly ignores: IgnoreDirective[] = [];
  private readonly ignoreByComment = new Map<Comment, IgnoreDirective>();
  private pos = 0;
  private commentPos = 0;
  /** Lines with a lexical error (unterminated string…): parse errors there are consequences, not news. */
  private readonly lexErrorLines = new Set<number>();

  constructor(private readonly text: string, private readonly path: string) {
    const lexed = lexPrisma(text);
    this.tokens = lexed.tokens;
    this.comments = lexed.comments;
    for (const e of lexed.errors) {
      this.report(e.message, e.start, e.end);
      this.lexErrorLines.add(this.lineStartOf(e.start));
    }
    for (const c of this.comments) {
      const directive = parseIgnoreDirective(c);
      if (directive) {
        this.ignores.push(directive);
        this.ignoreByComment.set(c, directive);
      }
    }
  }

  parseFile(): PrismaFile {
    const blocks: Block[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof') break;
      try {
        const block = this.parseTopLevel();
        if (block) blocks.push(block);
      } catch (e) {
        this.recover(e);
      }
    }
    return { path: this.path, text: this.text, blocks, comments: this.comments, ignores: this.ignores, diagnostics: this.diagnostics };
  }

  // ---- blocks ----

  private parseTopLevel(): Block | undefined {
    const t = this.peek();
    if (t.kind === 'ident' && BLOCK_KEYWORDS.has(t.value)) return this.parseBlock();
    if (t.kind === 'ident' && this.peek(1).kind === 'ident' && this.isPunct(this.peek(2), '{')) return this.parseUnknownBlock();
    if (t.kind === 'punct' && t.value === '}') {
      this.next();
      this.report('Unexpected `}`: there is no open block to close.', t.start, t.end);
      return undefined;
    }
    throw new SyntaxError(
      `Unexpected ${describe(t)}. Expected a block: model, view, enum, type, datasource or generator.`,
      t.start, t.end,
    );
  }

  private parseBlock(): Block | undefined {
    const trivia = this.leadingTrivia(this.peek().start);
    const kw = this.next();
    const keyword: Identifier = { name: kw.value, start: kw.start, end: kw.end };
    const nameTok = this.peek();
    if (nameTok.kind !== 'ident') {
      throw new SyntaxError(`Expected a name after \`${kw.value}\`, found ${describe(nameTok)}.`, nameTok.start, nameTok.end);
    }
    this.next();
    const name: Identifier = { name: nameTok.value, start: nameTok.start, end: nameTok.end };
    if (kw.value === 'type' && this.isPunct(this.peek(), '=')) {
      throw new SyntaxError('Type aliases (`type X = …`) are no longer supported by Prisma; use a composite `type X { … }` block.', kw.start, this.peek().end);
    }
    const open = this.peek();
    if (!this.isPunct(open, '{')) {
      throw new SyntaxError(`Expected \`{\` after \`${kw.value} ${nameTok.value}\`, found ${describe(open)}.`, open.start, open.end);
    }
    this.next();
    const base = { file: this.path, keyword, name, start: kw.start, end: open.end, body: { start: open.start, end: open.end }, ...trivia };

    let block: Block;
    switch (kw.value) {
      case 'model': case 'view': case 'type': {
        const b: ModelBlock = { ...base, kind: kw.value, fields: [], attributes: [] };
        this.parseBody(b, () => this.parseModelMember(b));
        block = b;
        break;
      }
      case 'enum': {
        const b: EnumBlock = { ...base, kind: 'enum', values: [], attributes: [] };
        this.parseBody(b, () => this.parseEnumMember(b));
        block = b;
        break;
      }
      default: {
        const b: ConfigBlock = { ...base, kind: kw.value as 'datasource' | 'generator', entries: [] };
        this.parseBody(b, () => this.parseConfigEntry(b));
        block = b;
      }
    }
    this.attachTrailing(block);
    return block;
  }

  private parseUnknownBlock(): UnknownBlock {
    const trivia = this.leadingTrivia(this.peek().start);
    const kw = this.next();
    const nameTok = this.next();
    const open = this.next();
    const b: UnknownBlock = {
      file: this.path, kind: 'unknown', ...trivia,
      keyword: { name: kw.value, start: kw.start, end: kw.end },
      name: { name: nameTok.value, start: nameTok.start, end: nameTok.end },
      start: kw.start, end: open.end, body: { start: open.start, end: open.end },
    };
    this.report(`Unknown block type \`${kw.value}\`; its contents are ignored.`, kw.start, kw.end, 'warning');
    // Skip to the matching brace.
    let depth = 1;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') {
        this.report(`Missing \`}\` to close \`${kw.value} ${nameTok.value}\`.`, kw.start, nameTok.end);
        break;
      }
      this.next();
      if (this.isPunct(t, '{')) depth++;
      else if (this.isPunct(t, '}') && --depth === 0) {
        b.end = b.body.end = t.end;
        break;
      }
    }
    return b;
  }

  /** Parses members line by line until `}`; `member` consumes one member without its newline. */
  private parseBody(block: Block, member: () => void): void {
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (this.isPunct(t, '}')) {
        this.next();
        block.end = block.body.end = t.end;
        this.skipInnerComments(t.end);
        return;
      }
      if (t.kind === 'eof' || this.looksLikeBlockStart()) {
        block.end = block.body.end = Math.max(block.end, this.lastContentEnd());
        this.report(`Missing \`}\` to close \`${block.keyword.name} ${block.name.name}\`.`, block.keyword.start, block.name.end);
        return;
      }
      try {
        member();
        this.expectLineEnd();
      } catch (e) {
        this.recover(e);
      }
    }
  }

  private parseModelMember(block: ModelBlock): void {
    const t = this.peek();
    if (this.isPunct(t, '@@')) {
      const trivia = this.leadingTrivia(t.start);
      const attribute = { ...this.parseAttribute('block'), ...trivia };
      block.attributes.push(attribute);
      this.attachTrailing(attribute);
      return;
    }
    if (t.kind !== 'ident') {
      const hint = this.isPunct(t, '@') ? ' Field attributes (`@…`) must follow a field name and type on the same line.' : '';
      throw new SyntaxError(`Unexpected ${describe(t)} in ${block.kind} \`${block.name.name}\`.${hint}`, t.start, t.end);
    }
    const { field, error } = this.parseField(block);
    block.fields.push(field);
    if (error) throw error;
    this.attachTrailing(field);
  }

  /** A field whose attributes do not parse is still returned (with the attributes before the error): its column exists. */
  private parseField(block: ModelBlock): { field: Field; error?: SyntaxError } {
    const trivia = this.leadingTrivia(this.peek().start);
    const nameTok = this.next();
    const name: Identifier = { name: nameTok.value, start: nameTok.start, end: nameTok.end };
    const t = this.peek();
    if (t.kind !== 'ident') {
      const found = this.atLineEnd() ? 'nothing' : describe(t);
      throw new SyntaxError(
        `Field \`${nameTok.value}\` in ${block.kind} \`${block.name.name}\` has no type (found ${found}). Write \`${nameTok.value} <Type>\`.`,
        nameTok.start, this.atLineEnd() ? nameTok.end : t.end,
      );
    }
    const type = this.parseFieldType();
    const attributes: Attribute[] = [];
    let error: SyntaxError | undefined;
    try {
      while (this.isPunct(this.peek(), '@')) attributes.push(this.parseAttribute('field'));
      if (this.isPunct(this.peek(), '@@')) {
        const a = this.peek();
        throw new SyntaxError('Block attributes (`@@…`) go on their own line, not after a field.', a.start, a.end);
      }
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      error = e;
    }
    const last = attributes.length ? attributes[attributes.length - 1].end : type.end;
    return { field: { file: this.path, name, type, attributes, start: nameTok.start, end: last, ...trivia }, error };
  }

  private parseFieldType(): FieldType {
    const nameTok = this.next();
    const name: Identifier = { name: nameTok.value, start: nameTok.start, end: nameTok.end };
    const type: FieldType = { name, optional: false, list: false, start: nameTok.start, end: nameTok.end };
    if (nameTok.value === 'Unsupported' && this.isPunct(this.peek(), '(')) {
      this.next();
      const s = this.peek();
      if (s.kind !== 'string') throw new SyntaxError('`Unsupported` takes the database type as a string: `Unsupported("circle")`.', s.start, s.end);
      this.next();
      type.unsupported = { kind: 'string', value: s.value, start: s.start, end: s.end };
      const close = this.expectPunct(')', 'to close `Unsupported(`');
      type.end = close.end;
    }
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, '[') && this.isPunct(this.peek(1), ']')) {
        this.next();
        const close = this.next();
        if (type.optional) this.report('Optional lists (`Type?[]`) are not supported.', t.start, close.end);
        type.list = true;
        type.end = close.end;
      } else if (this.isPunct(t, '?')) {
        this.next();
        if (type.list) this.report('Optional lists (`Type[]?`) are not supported: a list field is never null, remove the `?`.', t.start, t.end);
        type.optional = true;
        type.end = t.end;
      } else if (this.isPunct(t, '!')) {
        this.next();
        this.report('Fields are required by default; remove the `!`.', t.start, t.end);
        type.end = t.end;
      } else {
        return type;
      }
    }
  }

  private parseEnumMember(block: EnumBlock): void {
    const t = this.peek();
    const trivia = this.leadingTrivia(t.start);
    if (this.isPunct(t, '@@')) {
      const attribute = { ...this.parseAttribute('block'), ...trivia };
      block.attributes.push(attribute);
      this.attachTrailing(attribute);
      return;
    }
    if (t.kind !== 'ident') throw new SyntaxError(`Unexpected ${describe(t)} in enum \`${block.name.name}\`. Expected a value name.`, t.start, t.end);
    this.next();
    const attributes: Attribute[] = [];
    while (this.isPunct(this.peek(), '@')) attributes.push(this.parseAttribute('field'));
    const value: EnumValue = {
      file: this.path, name: { name: t.value, start: t.start, end: t.end }, attributes,
      start: t.start, end: attributes.length ? attributes[attributes.length - 1].end : t.end, ...trivia,
    };
    block.values.push(value);
    this.attachTrailing(value);
  }

  private parseConfigEntry(block: ConfigBlock): void {
    const t = this.peek();
    const trivia = this.leadingTrivia(t.start);
    if (t.kind !== 'ident') throw new SyntaxError(`Unexpected ${describe(t)} in ${block.kind} \`${block.name.name}\`. Expected \`key = value\`.`, t.start, t.end);
    this.next();
    const eq = this.peek();
    if (!this.isPunct(eq, '=')) throw new SyntaxError(`Expected \`=\` after \`${t.value}\` in ${block.kind} \`${block.name.name}\`, found ${describe(eq)}.`, eq.start, eq.end);
    this.next();
    const value = this.parseExpression();
    const entry: ConfigEntry = { file: this.path, key: { name: t.value, start: t.start, end: t.end }, value, start: t.start, end: value.end, ...trivia };
    block.entries.push(entry);
    this.attachTrailing(entry);
  }

  // ---- attributes and expressions ----

  private parseAttribute(level: 'field' | 'block'): Attribute {
    const at = this.next();
    const name = this.parsePath(`an attribute name after \`${at.value}\``);
    const attribute: Attribute = {
      file: this.path, level, name, args: NONE, hasParens: false, start: at.start, end: name.end, leadingComments: NONE, ignores: NONE,
    };
    if (this.isPunct(this.peek(), '(')) {
      const { args, end } = this.parseArgumentList();
      attribute.args = args;
      attribute.hasParens = true;
      attribute.end = end;
    }
    return attribute;
  }

  /** `ident(.ident)*`, e.g. `db.VarChar`. */
  private parsePath(what: string): Identifier {
    const first = this.peek();
    if (first.kind !== 'ident') throw new SyntaxError(`Expected ${what}, found ${describe(first)}.`, first.start, first.end);
    this.next();
    let end = first.end;
    let name = first.value;
    while (this.isPunct(this.peek(), '.') && this.peek(1).kind === 'ident') {
      this.next();
      const part = this.next();
      name += '.' + part.value;
      end = part.end;
    }
    return { name, start: first.start, end };
  }

  private parseArgumentList(): { args: Argument[]; end: number } {
    const open = this.next();
    let args: Argument[] = NONE;
    for (;;) {
      this.skipNewlinesInside(open, ')');
      const t = this.peek();
      if (this.isPunct(t, ')')) {
        this.next();
        return { args, end: t.end };
      }
      let name: Identifier | undefined;
      if (t.kind === 'ident' && this.isPunct(this.peek(1), ':')) {
        this.next();
        this.next();
        name = { name: t.value, start: t.start, end: t.end };
      }
      const value = this.parseExpression();
      if (args === NONE) args = [];
      args.push({ name, value, start: name ? name.start : value.start, end: value.end });
      this.skipNewlinesInside(open, ')');
      const sep = this.peek();
      if (this.isPunct(sep, ',')) this.next();
      else if (!this.isPunct(sep, ')')) throw new SyntaxError(`Expected \`,\` or \`)\` in the argument list, found ${describe(sep)}.`, sep.start, sep.end);
    }
  }

  private parseExpression(): Expression {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.next();
        return { kind: 'string', value: t.value, start: t.start, end: t.end } satisfies StringLiteral;
      case 'number':
        this.next();
        return { kind: 'number', value: Number(t.value), raw: t.value, start: t.start, end: t.end };
      case 'ident': {
        const name = this.parsePath('a value');
        if (this.isPunct(this.peek(), '(')) {
          const { args, end } = this.parseArgumentList();
          return { kind: 'function', name, args, start: name.start, end };
        }
        return { kind: 'constant', name: name.name, start: name.start, end: name.end };
      }
      case 'punct':
        if (t.value === '[') return this.parseArray();
        break;
    }
    throw new SyntaxError(`Expected a value (string, number, name, list or function call), found ${describe(t)}.`, t.start, t.end);
  }

  private parseArray(): ArrayExpression {
    const open = this.next();
    const items: Expression[] = [];
    for (;;) {
      this.skipNewlinesInside(open, ']');
      const t = this.peek();
      if (this.isPunct(t, ']')) {
        this.next();
        return { kind: 'array', items, start: open.start, end: t.end };
      }
      items.push(this.parseExpression());
      this.skipNewlinesInside(open, ']');
      const sep = this.peek();
      if (this.isPunct(sep, ',')) this.next();
      else if (!this.isPunct(sep, ']')) throw new SyntaxError(`Expected \`,\` or \`]\` in the list, found ${describe(sep)}.`, sep.start, sep.end);
    }
  }

  /**
   * Lists and argument lists may span lines. When the next line plainly starts a new
   * declaration (`name Type`, `@@…`, `}`), the bracket was left open: say so there and let
   * the caller resume on that line.
   */
  private skipNewlinesInside(open: Token, close: string): void {
    if (this.peek().kind !== 'newline') return;
    this.skipNewlines();
    const t = this.peek();
    const startsDeclaration = this.isPunct(t, '@@') || this.isPunct(t, '}') || t.kind === 'eof'
      || (t.kind === 'ident' && this.peek(1).kind === 'ident');
    if (startsDeclaration) throw new SyntaxError(`Missing \`${close}\` to close this \`${open.value}\`.`, open.start, open.end, true);
  }

  // ---- comments ----

  /** Comments between the previous declaration and the one starting at `start`. */
  private leadingTrivia(start: number): Trivia {
    const from = this.commentPos;
    while (this.commentPos < this.comments.length && this.comments[this.commentPos].start < start) this.commentPos++;
    if (from === this.commentPos) return { leadingComments: NONE, ignores: NONE };
    const leadingComments = this.comments.slice(from, this.commentPos);
    const ignores = this.ignoresOf(leadingComments);
    return { leadingComments, documentation: documentationOf(leadingComments), ignores: ignores.length ? ignores : NONE };
  }

  /** A comment after the declaration on its last line belongs to it (`id Int // pgvet-ignore x`). */
  private attachTrailing(node: Trivia & Range): void {
    this.skipInnerComments(node.end);
    const lineEnd = this.nextLineBreakOffset();
    const c = this.comments[this.commentPos];
    if (c && c.start < lineEnd) {
      node.trailingComment = c;
      const directive = this.ignoreByComment.get(c);
      if (directive) node.ignores = [...node.ignores, directive];
      this.commentPos++;
    }
  }

  /** Comments inside a declaration (within a multi-line list) are neither leading nor trailing. */
  private skipInnerComments(end: number): void {
    while (this.commentPos < this.comments.length && this.comments[this.commentPos].start < end) this.commentPos++;
  }

  private ignoresOf(comments: Comment[]): IgnoreDirective[] {
    const out: IgnoreDirective[] = [];
    for (const c of comments) {
      const d = this.ignoreByComment.get(c);
      if (d && d.scope === 'node') out.push(d);
    }
    return out;
  }

  // ---- token helpers ----

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private isPunct(t: Token, value: string): boolean {
    return t.kind === 'punct' && t.value === value;
  }

  private expectPunct(value: string, why: string): Token {
    const t = this.peek();
    if (!this.isPunct(t, value)) throw new SyntaxError(`Expected \`${value}\` ${why}, found ${describe(t)}.`, t.start, t.end);
    return this.next();
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.pos++;
  }

  private atLineEnd(): boolean {
    const k = this.peek().kind;
    return k === 'newline' || k === 'eof';
  }

  private expectLineEnd(): void {
    const t = this.peek();
    if (t.kind === 'newline' || t.kind === 'eof' || this.isPunct(t, '}')) return;
    throw new SyntaxError(`Unexpected ${describe(t)}: expected the end of the line.`, t.start, t.end);
  }

  private nextLineBreakOffset(): number {
    for (let k = this.pos; k < this.tokens.length; k++) {
      const t = this.tokens[k];
      if (t.kind === 'newline' || t.kind === 'eof') return t.start;
    }
    return this.text.length;
  }

  private isFirstOnLine(index: number): boolean {
    return index === 0 || this.tokens[index - 1].kind === 'newline';
  }

  /** `model X {` at the start of a line, seen while still inside another block. */
  private looksLikeBlockStart(): boolean {
    const t = this.peek();
    return t.kind === 'ident' && BLOCK_KEYWORDS.has(t.value) && this.isFirstOnLine(this.pos)
      && this.peek(1).kind === 'ident' && this.isPunct(this.peek(2), '{');
  }

  /** End of the last token before the current one that is not a newline. */
  private lastContentEnd(): number {
    for (let k = this.pos - 1; k >= 0; k--) {
      const t = this.tokens[k];
      if (t.kind !== 'newline') return t.end;
    }
    return 0;
  }

  /** Report, then resume at the start of the next line (or right here if the error is the first token on its line). */
  private recover(e: unknown): void {
    if (!(e instanceof SyntaxError)) throw e;
    if (!this.lexErrorLines.has(this.lineStartOf(e.start))) this.report(e.message, e.start, e.end);
    if (e.resumeHere) return;
    while (!this.atLineEnd()) this.pos++;
  }

  private lineStartOf(offset: number): number {
    return Math.max(this.text.lastIndexOf('\n', offset - 1), this.text.lastIndexOf('\r', offset - 1)) + 1;
  }

  private report(message: string, start: number, end: number, severity: 'error' | 'warning' = 'error'): void {
    this.diagnostics.push({ file: this.path, severity, message, start, end: Math.max(end, start) });
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'the end of the file';
    case 'newline': return 'the end of the line';
    case 'string': return `string ${JSON.stringify(t.value)}`;
    case 'invalid': return `character \`${t.value}\``;
    default: return `\`${t.value}\``;
  }
}

function documentationOf(comments: Comment[]): string | undefined {
  const docs = comments.filter((c) => c.kind === 'doc');
  if (docs.length === 0) return undefined;
  return docs.map((c) => (c.text.startsWith(' ') ? c.text.slice(1) : c.text)).join('\n');
}
