import { defineRule } from '../rule-kit/define-rule';
import type { Fix, HistoryFile } from '../rule-kit/types';
import { eol, migrationFindingRange } from '../fixes/edits';
import { downFileName, downText, isEmptyDown, pairedDown, planDown, type HistorySource } from '../fixes/generate-down';
import { stmtOf } from '../parse/sql/ast';
import { nodeOf } from '../parse/sql/nodes';

/**
 * A schema-history rule: only the history knows the schema before a migration, which the generated down
 * needs (DROP COLUMN is reverted from the column's old definition). goose and dbmate keep the down in the
 * same file; for the other layouts the engine hands the separate down file over as `HistoryFile.down`.
 */

/** Where the generated down goes: a new file, or a section at the end of the up file. */
function downFix(file: HistoryFile, down: string, hasMarker: boolean): Fix | undefined {
  const nl = eol(file.text);
  const body = down.replace(/\n/g, nl);
  const title = 'Generate the down migration';
  if (file.context.layout === 'goose' || file.context.layout === 'dbmate') {
    const goose = file.context.layout === 'goose';
    const wrapped = goose && body.includes('$') ? `-- +goose StatementBegin${nl}${body}-- +goose StatementEnd${nl}` : body;
    const marker = goose ? '-- +goose Down' : '-- migrate:down';
    const end = file.text.length;
    const lead = file.text.endsWith('\n') || end === 0 ? '' : nl;
    return { title, edits: [{ start: end, end, newText: `${lead}${hasMarker ? '' : `${nl}${marker}${nl}`}${wrapped}` }] };
  }
  const name = downFileName(file.context.layout, file.path);
  return name === undefined ? undefined : { title: `${title} (${name})`, edits: [], createFiles: [{ relativePath: name, content: body }] };
}

export const missingDownMigration = defineRule({
  id: 'missing-down-migration',
  meta: {
    description: 'The migration tool pairs every up migration with a down, and this one has none (or an empty one): it cannot be rolled back.',
    category: 'reversibility',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  historySteps: (file, wanted) => wanted && lacksDown(file),
  checkCatalog(ctx) {
    const before = new Map(ctx.steps.map((s) => [s.file.path, s.before]));
    const history: HistorySource[] = [];
    for (const file of ctx.files.values()) {
      const down = pairedDown(file);
      const catalogBefore = ctx.wants(file.path) && lacksDown(file) ? before.get(file.path) : undefined;
      if (catalogBefore) {
        const steps = planDown(file.parsed, catalogBefore, { path: file.path, history });
        const todo = steps.filter((s) => s.kind === 'none').length;
          const where = down ? (down.inUpFile ? 'its down section is empty' : `${down.path.split('/').pop()} is empty`) : down === null && file.context.layout !== 'goose' && file.context.layout !== 'dbmate' ? 'no down file exists' : 'the file has no down section';
        ctx.report({
          origin: { file: file.path, ...migrationFindingRange(file) },
          message: `This ${file.context.layout} migration cannot be rolled back: ${where}. `
            + `pgvet can generate one from the up statements${todo ? ` (${todo} statement${todo > 1 ? 's have' : ' has'} no inverse and become${todo > 1 ? '' : 's'} TODO comments)` : ''}.`,
          // An empty separate file exists: the fix would have to overwrite it, which a fix never does.
          fix: down && !down.inUpFile ? undefined : downFix(file, downText(file.parsed, steps, file.path.split('/').pop()), down !== null),
        });
      }
      history.push({ path: file.path, parsed: file.parsed });
    }
  },
});

/**
 * No down file, or an empty one (or an empty down section) — for an up that has something to undo. An empty down is
 * right for an up that changes no schema a rollback could restore: VALIDATE CONSTRAINT (what "NOT VALID, then
 * VALIDATE in a later migration" writes), session settings, transaction control.
 */
function lacksDown(file: HistoryFile): boolean {
  const down = pairedDown(file);
  if (down !== null && !(down !== undefined && isEmptyDown(down))) return false;
  return down === null ? true : !nothingToUndo(file);
}

function nothingToUndo(file: HistoryFile): boolean {
  return file.parsed.statements.every((s) => {
    if (!s.ast) return s.status === 'ok';
    if (stmtOf(s, 'VariableSetStmt') || stmtOf(s, 'TransactionStmt')) return true;
    const cmds = stmtOf(s, 'AlterTableStmt')?.cmds;
    return !!cmds?.length && cmds.every((c) => nodeOf(c, 'AlterTableCmd')?.subtype === 'AT_ValidateConstraint');
  });
}
