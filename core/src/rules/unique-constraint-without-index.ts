import type { FileContext } from '../catalog/layouts';
import { alterTableCommands, alterTablesOfExistingTables, defaultObjectName, explicitTransactionStatements, qualifiedName, quoteIdent, relationText, statementTokens, type Token } from '../parse/sql/ast';
import { defineRule } from '../rule-kit/define-rule';
import type { Fix } from '../rule-kit/types';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { concurrentlyWhereItRuns, insertBeforeStatement, upStatements } from '../fixes/edits';
import { inlineConstraintsOfAddedColumns } from '../rule-kit/added-columns';
import type { Constraint, Node, RangeVar } from '@pgsql/types';
import { nodeOf, stringOf } from '../parse/sql/nodes';

// A key's columns are String nodes.
const names = (list: Node[] | undefined): string[] => (list ?? []).map(stringOf) as string[];

/** PostgreSQL names an unnamed UNIQUE `<table>_<cols>_key` and a PRIMARY KEY `<table>_pkey`. */
function constraintName(table: string, con: Constraint): string {
  if (con.conname) return con.conname;
  return con.contype === 'CONSTR_PRIMARY' ? defaultObjectName(table, [], 'pkey') : defaultObjectName(table, names(con.keys), 'key');
}

/** The text inside the first parenthesised list after token `from` (and after `keyword`, when given), as written. */
function listTextAfter(file: SqlFile, tokens: Token[], from: number, keyword?: string): string | undefined {
  let k = from;
  if (keyword) k = tokens.findIndex((t, i) => i >= from && t.text.toUpperCase() === keyword);
  const open = k < 0 ? -1 : tokens.findIndex((t, i) => i >= k && t.text === '(');
  if (open < 0) return undefined;
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].text === '(') depth++;
    else if (tokens[i].text === ')' && --depth === 0) return file.text.slice(tokens[open + 1].start, tokens[i - 1].end);
  }
  return undefined;
}

/** Build the index CONCURRENTLY before the statement, then attach it in place of the original subcommand. */
function usingIndexFix(file: SqlFile, stmt: SqlStatement, rel: RangeVar, con: Constraint, name: string, range: { start: number; end: number }): Fix | undefined {
  // Storage parameters and tablespaces would have to move to the index: leave those to a human.
  if (con.options || con.indexspace) return undefined;
  const id = quoteIdent(name);
  // Column lists are copied as written, so Prisma's quoted identifiers stay quoted.
  const tokens = statementTokens(file, stmt);
  const at = tokens.findIndex((t) => t.start >= range.start);
  const cols = listTextAfter(file, tokens, at) ?? names(con.keys).map(quoteIdent).join(', ');
  const included = con.including && (listTextAfter(file, tokens, at, 'INCLUDE') ?? names(con.including).map(quoteIdent).join(', '));
  const include = included ? ` INCLUDE (${included})` : '';
  const nulls = con.nulls_not_distinct ? ' NULLS NOT DISTINCT' : '';
  const kind = con.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE';
  const deferrable = con.deferrable ? ` DEFERRABLE${con.initdeferred ? ' INITIALLY DEFERRED' : ''}` : '';
  return {
    title: `Build the index for "${name}" CONCURRENTLY, then add the constraint USING INDEX`,
    edits: [
      insertBeforeStatement(file, stmt, `CREATE UNIQUE INDEX CONCURRENTLY ${id} ON ${relationText(file, stmt, rel)} (${cols})${include}${nulls};`),
      { start: range.start, end: range.end, newText: `ADD CONSTRAINT ${id} ${kind} USING INDEX ${id}${deferrable}` },
    ],
  };
}

/** Why the CREATE INDEX CONCURRENTLY of the fix would run in a transaction here. */
function whyTransaction(file: SqlFile, context: FileContext, stmt: SqlStatement): string {
  if (explicitTransactionStatements(file).has(stmt.index)) return 'it sits between BEGIN and COMMIT';
  if (context.transactional) return context.transactionReason;
  return 'with the index added, the file is a query string of several statements, which PostgreSQL runs as one transaction';
}

export const uniqueConstraintWithoutIndex = defineRule({
  id: 'unique-constraint-without-index',
  meta: {
    description: 'ADD CONSTRAINT … UNIQUE / PRIMARY KEY on an existing table builds its index while holding an ACCESS EXCLUSIVE lock.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  check(ctx) {
    const { file, fileContext } = ctx;
    for (const { stmt, alter } of alterTablesOfExistingTables(file)) {
      for (const { cmd, start, end, located } of alterTableCommands(file, stmt, ['AT_AddConstraint'])) {
        const con = cmd.subtype === 'AT_AddConstraint' ? nodeOf(cmd.def, 'Constraint') : undefined;
        if (!con || con.indexname || (con.contype !== 'CONSTR_UNIQUE' && con.contype !== 'CONSTR_PRIMARY')) continue;
        const table = qualifiedName(alter.relation);
        const name = constraintName(alter.relation.relname, con);
        const kind = con.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE';
        const built = located ? usingIndexFix(file, stmt, alter.relation, con, name, { start, end }) : undefined;
        // Only where the CREATE INDEX CONCURRENTLY it adds can run (it makes the file one statement longer).
        const fix = built && concurrentlyWhereItRuns(file, fileContext, stmt, built, upStatements(file, fileContext).length + 1);
        ctx.report({
          statement: stmt,
          start,
          end,
          message: `Adding ${kind} constraint "${name}" to existing table "${table}" builds its unique index while holding an ACCESS EXCLUSIVE lock: no reads or writes until the index is built. `
            + `Build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then attach it with ADD CONSTRAINT … ${kind} USING INDEX, which is instant.`
            + (kind === 'PRIMARY KEY' ? ' (USING INDEX still sets the key columns NOT NULL, which scans the table unless they already are.)' : '')
            + (built && !fix ? ` Note: ${whyTransaction(file, fileContext, stmt)}, and CONCURRENTLY cannot run inside a transaction: build the index in a non-transactional migration first.` : ''),
          fix,
        });
      }
    }
    // `ADD COLUMN … UNIQUE / PRIMARY KEY` builds the same index under the same lock (serial PRIMARY KEY also rewrites: see volatile-default).
    for (const { stmt, alter, start, end, def, con } of inlineConstraintsOfAddedColumns(file, ['CONSTR_UNIQUE', 'CONSTR_PRIMARY'])) {
      const kind = con.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE';
      const name = con.conname ?? (kind === 'PRIMARY KEY' ? defaultObjectName(alter.relation.relname, [], 'pkey') : defaultObjectName(alter.relation.relname, [def.colname ?? ''], 'key'));
      ctx.report({
        statement: stmt,
        start,
        end,
        message: `Adding column "${def.colname}" with ${kind} to existing table "${qualifiedName(alter.relation)}" builds unique index "${name}" over every row while holding an ACCESS EXCLUSIVE lock: no reads or writes until the index is built. `
          + `Add the column without ${kind}, build the index with CREATE UNIQUE INDEX CONCURRENTLY, then attach it with ADD CONSTRAINT … ${kind} USING INDEX, which is instant.`,
      });
    }
  },
});
