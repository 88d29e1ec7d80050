/**
 * Maps a parsed Prisma schema to what Prisma Migrate creates in the database (see
 * schema-model.ts): database names after `@@map`/`@map`, PostgreSQL types, Prisma's default
 * constraint names and referential actions, implicit many-to-many join tables.
 */
import type {
  Argument, Attribute, Block, ConfigBlock, EnumBlock, Expression, Field, ModelBlock, PrismaSchema, Range,
} from './ast';
import type {
  PrismaColumn, PrismaColumnDefault, PrismaDatabaseModel, PrismaEnum, PrismaForeignKey, PrismaIndex,
  PrismaIndexColumn, PrismaPrimaryKey, PrismaTable, ReferentialAction, SourceRef,
} from './schema-model';
import { foreignKeyName, identifierLimit, indexName, primaryKeyName, quoteIdentifier, uniqueIndexName } from './naming';
import { nativePostgresType, scalarPostgresType } from './types';

const ACTIONS: Record<string, ReferentialAction> = {
  Cascade: 'CASCADE', Restrict: 'RESTRICT', NoAction: 'NO ACTION', SetNull: 'SET NULL', SetDefault: 'SET DEFAULT',
};

const CLIENT_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid', 'auto']);

interface ModelInfo {
  block: ModelBlock;
  table: string;
  schema?: string;
  fields: Map<string, Field>;
}

interface EnumInfo {
  block: EnumBlock;
  dbName: string;
  values: Map<string, string>;
}

export function buildPrismaDatabaseModel(schema: PrismaSchema): PrismaDatabaseModel {
  return new CatalogBuilder(schema.blocks).build();
}

class CatalogBuilder {
  private readonly models = new Map<string, ModelInfo>();
  private readonly enums = new Map<string, EnumInfo>();
  private readonly compositeTypes = new Set<string>();
  private provider?: string;
  private limit = 63;
  private relationMode: PrismaDatabaseModel['relationMode'] = 'foreignKeys';

  constructor(private readonly blocks: Block[]) {}

  build(): PrismaDatabaseModel {
    const datasource = this.blocks.find((b): b is ConfigBlock => b.kind === 'datasource');
    const config = new Map(datasource?.entries.map((e) => [e.key.name, e.value]) ?? []);
    this.provider = stringOf(config.get('provider'));
    this.limit = identifierLimit(this.provider);
    const mode = stringOf(config.get('relationMode')) ?? stringOf(config.get('referentialIntegrity'));
    this.relationMode = mode === 'prisma' || this.provider === 'mongodb' ? 'prisma' : 'foreignKeys';

    for (const b of this.blocks) {
      if (b.kind === 'enum') {
        const values = new Map(b.values.map((v) => [v.name.name, mappedName(v.attributes) ?? v.name.name]));
        this.enums.set(b.name.name, { block: b, dbName: mappedName(b.attributes) ?? b.name.name, values });
      } else if (b.kind === 'type') {
        this.compositeTypes.add(b.name.name);
      } else if (b.kind === 'model' || b.kind === 'view') {
        this.models.set(b.name.name, {
          block: b,
          table: mappedName(b.attributes) ?? b.name.name,
          schema: stringArg(findAttribute(b.attributes, 'schema')),
          fields: new Map(b.fields.map((f) => [f.name.name, f])),
        });
      }
    }

    const tables = [...this.models.values()].map((m) => this.table(m));
    tables.push(...this.implicitJoinTables());
    return {
      provider: this.provider,
      isPostgres: this.provider === 'postgresql' || this.provider === 'postgres',
      relationMode: this.relationMode,
      schemas: namesOf(config.get('schemas')),
      extensions: namesOf(config.get('extensions')),
      datasource: datasource && ref(datasource),
      tables,
      enums: [...this.enums.values()].map((e) => this.enumOf(e)),
    };
  }

  private enumOf(e: EnumInfo): PrismaEnum {
    return {
      name: e.block.name.name,
      dbName: e.dbName,
      schema: stringArg(findAttribute(e.block.attributes, 'schema')),
      values: e.block.values.map((v) => ({ name: v.name.name, dbName: e.values.get(v.name.name)!, source: ref(v) })),
      source: ref(e.block),
    };
  }

  private table(m: ModelInfo): PrismaTable {
    const b = m.block;
    const mapAttr = findAttribute(b.attributes, 'map');
    const table: PrismaTable = {
      model: b.name.name,
      name: m.table,
      schema: m.schema,
      kind: b.kind === 'view' ? 'view' : 'model',
      ignored: !!findAttribute(b.attributes, 'ignore'),
      columns: [],
      uniques: [],
      indexes: [],
      foreignKeys: [],
      source: ref(b),
      nameSource: ref(mapAttr ?? b.name, b.file),
      documentation: b.documentation,
    };
    for (const f of b.fields) {
      if (this.isColumn(f)) table.columns.push(this.column(m, f));
    }
    // Views are not created by Migrate, so their keys and indexes exist only for Prisma Client.
    if (b.kind === 'view') return table;

    for (const f of b.fields) {
      const id = findAttribute(f.attributes, 'id');
      if (id) {
        const map = stringArg(id, 'map');
        table.primaryKey = { name: map ?? primaryKeyName(m.table, this.limit), nameIsDefault: !map, columns: [this.columnName(m, f.name.name)], source: ref(id) };
      }
      const unique = findAttribute(f.attributes, 'unique');
      if (unique) table.uniques.push(this.index(m, unique, true, [{ name: this.columnName(m, f.name.name), ...sortAndOps(unique.args) }]));
      const relation = findAttribute(f.attributes, 'relation');
      if (relation) {
        const fk = this.foreignKey(m, f, relation);
        if (fk) table.foreignKeys.push(fk);
      }
    }
    for (const a of b.attributes) {
      switch (a.name.name) {
        case 'id': table.primaryKey = this.compoundPrimaryKey(m, a); break;
        case 'unique': table.uniques.push(this.index(m, a, true, this.indexColumns(m, a))); break;
        case 'index': table.indexes.push(this.index(m, a, false, this.indexColumns(m, a))); break;
        case 'fulltext': table.indexes.push({ ...this.index(m, a, false, this.indexColumns(m, a)), method: 'fulltext' }); break;
      }
    }
    return table;
  }

  /** Relation fields (to a model) and composite-type fields are not columns. */
  private isColumn(f: Field): boolean {
    const t = f.type.name.name;
    return !this.models.has(t) && !this.compositeTypes.has(t);
  }

  private columnName(m: ModelInfo, fieldName: string): string {
    const f = m.fields.get(fieldName);
    return (f && mappedName(f.attributes)) ?? fieldName;
  }

  private column(m: ModelInfo, f: Field): PrismaColumn {
    const typeName = f.type.name.name;
    const native = f.attributes.find((a) => a.name.name.startsWith('db.'));
    const nativeArgs = native ? native.args.map((a) => expressionText(a.value)) : [];
    const en = this.enums.get(typeName);
    let base: string;
    if (f.type.unsupported) base = withoutPublicSchema(f.type.unsupported.value);
    else if (en) base = quoteIdentifier(en.dbName);
    else if (native) base = nativePostgresType(native.name.name.slice(3), nativeArgs);
    else base = scalarPostgresType(typeName) ?? typeName;
    const type = f.type.list ? `${base}[]` : base;
    const defaultAttr = findAttribute(f.attributes, 'default');
    return {
      field: f.name.name,
      name: this.columnName(m, f.name.name),
      type,
      prismaType: typeName,
      nativeType: native && { name: native.name.name.slice(3), args: nativeArgs, source: ref(native) },
      enum: en?.dbName,
      isList: f.type.list,
      nullable: f.type.optional,
      default: defaultAttr && this.columnDefault(defaultAttr, base, en),
      updatedAt: !!findAttribute(f.attributes, 'updatedAt'),
      source: ref(f),
      typeSource: ref(native ?? f.type),
      documentation: f.documentation,
    };
  }

  private columnDefault(a: Attribute, elementType: string, en: EnumInfo | undefined): PrismaColumnDefault | undefined {
    const value = positional(a, 0) ?? namedArg(a, 'value');
    if (!value) return undefined;
    const source = ref(a);
    const prisma = expressionText(value);
    if (value.kind === 'function') {
      const fn = value.name.name;
      if (fn === 'autoincrement' || fn === 'sequence') return { kind: fn, prisma, source };
      if (fn === 'now') return { kind: 'now', prisma, sql: 'CURRENT_TIMESTAMP', source };
      if (fn === 'dbgenerated') {
        const arg = value.args[0]?.value;
        return { kind: 'dbgenerated', prisma, sql: arg?.kind === 'string' ? arg.value : undefined, source };
      }
      if (CLIENT_DEFAULTS.has(fn)) return { kind: 'client', prisma, source };
    }
    const sql = literalSql(value, en);
    if (value.kind === 'array') return { kind: 'literal', prisma, sql: `ARRAY[${value.items.map((i) => literalSql(i, en)).join(', ')}]::${elementType}[]`, source };
    return { kind: 'literal', prisma, sql, source };
  }

  private compoundPrimaryKey(m: ModelInfo, a: Attribute): PrismaPrimaryKey {
    const map = stringArg(a, 'map');
    return {
      name: map ?? primaryKeyName(m.table, this.limit),
      nameIsDefault: !map,
      columns: this.indexColumns(m, a).map((c) => c.name),
      source: ref(a),
    };
  }

  private indexColumns(m: ModelInfo, a: Attribute): PrismaIndexColumn[] {
    const list = namedArg(a, 'fields') ?? positional(a, 0);
    if (!list) return [];
    // Prisma also accepts a single field without brackets: `@@index(modelVersionId)`.
    const items = list.kind === 'array' ? list.items : [list];
    const out: PrismaIndexColumn[] = [];
    for (const item of items) {
      if (item.kind === 'constant') out.push({ name: this.columnName(m, item.name) });
      else if (item.kind === 'function') out.push({ name: this.columnName(m, item.name.name), ...sortAndOps(item.args) });
    }
    return out;
  }

  private index(m: ModelInfo, a: Attribute, unique: boolean, columns: PrismaIndexColumn[]): PrismaIndex {
    const map = stringArg(a, 'map');
    const names = columns.map((c) => c.name);
    const type = constantArg(a, 'type');
    return {
      name: map ?? (unique ? uniqueIndexName(m.table, names, this.limit) : indexName(m.table, names, this.limit)),
      nameIsDefault: !map,
      clientName: a.level === 'block' ? stringArg(a, 'name') : undefined,
      unique,
      columns,
      method: type ? type.toLowerCase() : 'btree',
      source: ref(a),
    };
  }

  private foreignKey(m: ModelInfo, f: Field, relation: Attribute): PrismaForeignKey | undefined {
    const fields = namedArg(relation, 'fields');
    const references = namedArg(relation, 'references');
    if (fields?.kind !== 'array' || references?.kind !== 'array') return undefined;
    const target = this.models.get(f.type.name.name);
    if (!target) return undefined;
    const fieldNames = fields.items.map(refName);
    const columns = fieldNames.map((n) => this.columnName(m, n));
    const onDeleteName = constantArg(relation, 'onDelete');
    const onUpdateName = constantArg(relation, 'onUpdate');
    // Prisma's defaults: SET NULL when every FK field is optional, else RESTRICT; CASCADE on update.
    const anyRequired = fieldNames.some((n) => {
      const field = m.fields.get(n);
      return field ? !field.type.optional : false;
    });
    const map = stringArg(relation, 'map');
    return {
      name: map ?? foreignKeyName(m.table, columns, this.limit),
      nameIsDefault: !map,
      columns,
      referencedModel: target.block.name.name,
      referencedTable: target.table,
      referencedSchema: target.schema,
      referencedColumns: references.items.map((i) => this.columnName(target, refName(i))),
      onDelete: (onDeleteName && ACTIONS[onDeleteName]) || (anyRequired ? 'RESTRICT' : 'SET NULL'),
      onUpdate: (onUpdateName && ACTIONS[onUpdateName]) || 'CASCADE',
      onDeleteIsDefault: !onDeleteName,
      onUpdateIsDefault: !onUpdateName,
      emulated: this.relationMode === 'prisma',
      relationField: f.name.name,
      relationName: stringArg(relation) ?? stringArg(relation, 'name'),
      source: ref(relation),
    };
  }

  /**
   * A list relation field whose other side is also a list and neither has `fields:` makes
   * Prisma create `_<RelationName>` with columns `A` and `B` (models in alphabetical order),
   * the primary key `_<Name>_AB_pkey` (Prisma 6; a unique index `_<Name>_AB_unique` before, see withUniqueJoinKey),
   * the index `_<Name>_B_index` and cascading foreign keys to both ids.
   */
  private implicitJoinTables(): PrismaTable[] {
    const out: PrismaTable[] = [];
    const seen = new Set<string>();
    for (const m of this.models.values()) {
      if (m.block.kind !== 'model') continue;
      for (const f of m.block.fields) {
        if (!f.type.list) continue;
        const other = this.models.get(f.type.name.name);
        if (!other || other.block.kind !== 'model') continue;
        const relation = findAttribute(f.attributes, 'relation');
        if (relation && namedArg(relation, 'fields')) continue;
        const explicitName = relationNameOf(f);
        const back = listFieldsTo(other.block, m.block.name.name, explicitName).find((g) => g !== f);
        const relationName = explicitName ?? [m.block.name.name, other.block.name.name].sort().join('To');
        if (!back || seen.has(relationName)) continue;
        seen.add(relationName);
        const [a, b] = m.block.name.name <= other.block.name.name ? [m, other] : [other, m];
        out.push(this.joinTable(relationName, a, b, f));
      }
    }
    return out;
  }

  private joinTable(relationName: string, a: ModelInfo, b: ModelInfo, declaredBy: Field): PrismaTable {
    const name = `_${relationName}`;
    const source = ref(declaredBy);
    const idOf = (m: ModelInfo): PrismaColumn | undefined => {
      const idField = m.block.fields.find((g) => findAttribute(g.attributes, 'id'));
      return idField && this.column(m, idField);
    };
    const column = (col: 'A' | 'B', m: ModelInfo): PrismaColumn => {
      const id = idOf(m);
      return {
        field: col, name: col, type: id?.type ?? 'text', prismaType: id?.prismaType ?? 'String', nativeType: id?.nativeType,
        isList: false, nullable: false, updatedAt: false, source, typeSource: source,
      };
    };
    const fk = (col: 'A' | 'B', m: ModelInfo): PrismaForeignKey => ({
      name: `${name}_${col}_fkey`, nameIsDefault: true, columns: [col],
      referencedModel: m.block.name.name, referencedTable: m.table, referencedSchema: m.schema,
      referencedColumns: [idOf(m)?.name ?? 'id'], onDelete: 'CASCADE', onUpdate: 'CASCADE',
      onDeleteIsDefault: true, onUpdateIsDefault: true, emulated: this.relationMode === 'prisma',
      relationField: declaredBy.name.name, relationName, source,
    });
    return {
      model: relationName, name, schema: a.schema, kind: 'implicit-join', ignored: false,
      columns: [column('A', a), column('B', b)],
      primaryKey: { name: `${name}_AB_pkey`, nameIsDefault: true, columns: ['A', 'B'], source },
      uniques: [],
      indexes: [{ name: `${name}_B_index`, nameIsDefault: true, unique: false, columns: [{ name: 'B' }], method: 'btree', source }],
      foreignKeys: [fk('A', a), fk('B', b)],
      source, nameSource: source,
    };
  }
}

/**
 * An implicit many-to-many table as Prisma before 6 created it: no primary key, the unique index
 * `_<Name>_AB_unique` on (A, B). A history that never ran the Prisma 6 upgrade migration still has it.
 */
export function withUniqueJoinKey(table: PrismaTable): PrismaTable {
  if (table.kind !== 'implicit-join' || !table.primaryKey) return table;
  const { source } = table.primaryKey;
  const unique: PrismaIndex = {
    name: `${table.name}_AB_unique`, nameIsDefault: true, unique: true, columns: [{ name: 'A' }, { name: 'B' }], method: 'btree', source,
  };
  return { ...table, primaryKey: undefined, uniques: [unique, ...table.uniques] };
}

/**
 * `Unsupported("\"public\".geography")` (what `prisma db pull` writes for an extension's type) names the type
 * format_type prints as `geography`: the default schema is on the search path, so its types print unqualified.
 */
function withoutPublicSchema(type: string): string {
  return type.replace(/^\s*(?:"public"|public)\s*\.\s*/, '');
}

// ---- attribute helpers ----

export function findAttribute(attributes: Attribute[], name: string): Attribute | undefined {
  return attributes.find((a) => a.name.name === name);
}

/**
 * The database name `@map`/`@@map` gives: `@@map("users")` or the named form `@@map(name: "users")`
 * (both are `_ name: String` in Prisma's signature, and `prisma db pull` of old versions wrote the named one).
 */
function mappedName(attributes: Attribute[]): string | undefined {
  const map = findAttribute(attributes, 'map');
  return stringArg(map) ?? stringArg(map, 'name');
}

function namedArg(a: Attribute, name: string): Expression | undefined {
  return a.args.find((x) => x.name?.name === name)?.value;
}

function positional(a: Attribute, index: number): Expression | undefined {
  return a.args.filter((x) => !x.name)[index]?.value;
}

/** `@map("x")` → x; `stringArg(a, 'map')` reads `map: "x"`. */
function stringArg(a: Attribute | undefined, name?: string): string | undefined {
  if (!a) return undefined;
  const v = name ? namedArg(a, name) : positional(a, 0);
  return v?.kind === 'string' ? v.value : undefined;
}

function constantArg(a: Attribute, name: string): string | undefined {
  const v = namedArg(a, name);
  return v?.kind === 'constant' ? v.name : undefined;
}

function relationNameOf(f: Field): string | undefined {
  const r = findAttribute(f.attributes, 'relation');
  return r && (stringArg(r) ?? stringArg(r, 'name'));
}

function refName(e: Expression): string {
  return e.kind === 'constant' ? e.name : e.kind === 'function' ? e.name.name : expressionText(e);
}

function sortAndOps(args: Argument[]): Omit<PrismaIndexColumn, 'name'> {
  const out: Omit<PrismaIndexColumn, 'name'> = {};
  for (const arg of args) {
    const v = arg.value;
    switch (arg.name?.name) {
      case 'sort':
        if (v.kind === 'constant' && (v.name === 'Asc' || v.name === 'Desc')) out.sort = v.name;
        break;
      case 'length':
        if (v.kind === 'number') out.length = v.value;
        break;
      case 'ops':
        if (v.kind === 'function' && v.name.name === 'raw' && v.args[0]?.value.kind === 'string') out.ops = v.args[0].value.value;
        else if (v.kind === 'constant') out.ops = operatorClassName(v.name);
        break;
    }
  }
  return out;
}

/** Prisma's operator class names → PostgreSQL's: `JsonbPathOps` → `jsonb_path_ops`, `Int4MinMaxOps` → `int4_minmax_ops`. */
function operatorClassName(name: string): string {
  return name
    .replace(/MinMax/g, 'Minmax')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Value of a config entry: `"postgresql"`, or the first string of a list. */
function stringOf(e: Expression | undefined): string | undefined {
  if (!e) return undefined;
  if (e.kind === 'string') return e.value;
  if (e.kind === 'function' && e.name.name === 'env') return undefined;
  return undefined;
}

/** `["public", "auth"]` or `[pg_trgm, postgis(version: "3")]` → names. */
function namesOf(e: Expression | undefined): string[] {
  if (e?.kind !== 'array') return [];
  return e.items.map((i) => (i.kind === 'string' ? i.value : i.kind === 'constant' ? i.name : i.kind === 'function' ? i.name.name : expressionText(i)));
}

function literalSql(e: Expression, en: EnumInfo | undefined): string | undefined {
  switch (e.kind) {
    case 'string': return `'${e.value.replace(/'/g, "''")}'`;
    case 'number': return e.raw;
    case 'constant':
      if (e.name === 'true' || e.name === 'false') return e.name;
      return `'${(en?.values.get(e.name) ?? e.name).replace(/'/g, "''")}'`;
    default: return undefined;
  }
}

/** The source form of an expression (for messages and `@default` text). */
export function expressionText(e: Expression): string {
  switch (e.kind) {
    case 'string': return JSON.stringify(e.value);
    case 'number': return e.raw;
    case 'constant': return e.name;
    case 'array': return `[${e.items.map(expressionText).join(', ')}]`;
    case 'function': return `${e.name.name}(${e.args.map((a) => (a.name ? `${a.name.name}: ` : '') + expressionText(a.value)).join(', ')})`;
  }
}

function ref(node: Range & { file?: string }, file?: string): SourceRef {
  return { file: node.file ?? file ?? '', start: node.start, end: node.end };
}

const listFieldsCache = new WeakMap<ModelBlock, Map<string, Field[]>>();

/**
 * The list fields of `block` whose type is `model` and whose relation name is `relationName`, from a lookup built
 * once per block: a model that n models relate to many-to-many has n list fields, and searching them for each
 * relation made resolution quadratic.
 */
function listFieldsTo(block: ModelBlock, model: string, relationName: string | undefined): Field[] {
  let byKey = listFieldsCache.get(block);
  if (!byKey) {
    byKey = new Map();
    for (const g of block.fields) {
      if (!g.type.list) continue;
      const key = JSON.stringify([g.type.name.name, relationNameOf(g) ?? null]);
      const list = byKey.get(key) ?? [];
      list.push(g);
      byKey.set(key, list);
    }
    listFieldsCache.set(block, byKey);
  }
  return byKey.get(JSON.stringify([model, relationName ?? null])) ?? [];
}
