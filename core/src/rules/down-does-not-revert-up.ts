import { describeDifference, diffCatalogs } from '../catalog/diff';
import { applyFile } from '../catalog/replay';
import { snapshotCatalog } from '../catalog/snapshot';
import { defineRule } from '../rule-kit/define-rule';
import type { Fix, HistoryFile } from '../rule-kit/types';
import { eol, migrationFindingRange, statementStartingAt } from '../fixes/edits';
import { isEmptyDown, pairedDown, revertDifferences } from '../fixes/generate-down';
import { parseSqlFile } from '../parse/sql/parser';

/**
 * Replays up then down on the catalog and compares with the catalog before up. A schema-history rule: the
 * catalog before the migration comes from the whole history. Reported on the up file's first statement (the down
 * file is not part of the history the findings are placed in); the fix edits the down section where it shares the file.
 */
export const downDoesNotRevertUp = defineRule({
  id: 'down-does-not-revert-up',
  meta: {
    description: 'Running the down migration after the up migration does not give back the schema from before the up: a rollback leaves objects behind or loses some.',
    category: 'reversibility',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  historySteps(file, wanted) {
    const down = pairedDown(file);
    return wanted && !!down && !isEmptyDown(down);
  },
  checkCatalog(ctx) {
    const parsedFiles = new Map([...ctx.files.values()].map((f) => [f.path, f.parsed]));
    for (const { file, before, after } of ctx.steps) {
      const down = pairedDown(file);
      if (!down || !ctx.wants(file.path) || isEmptyDown(down)) continue;
      const rolledBack = snapshotCatalog(after);
      applyFile(rolledBack, down.path, parseSqlFile(down.text));
      const diffs = diffCatalogs(before, rolledBack);
      if (diffs.length === 0) continue;
      // Only objects from this migration or earlier ones can differ.
      const lookup = (o: { file: string; start: number }) => {
        const parsed = parsedFiles.get(o.file);
        const stmt = parsed && statementStartingAt(parsed, o.start);
        return parsed && stmt ? { file: parsed, stmt } : undefined;
      };
      const reversal = revertDifferences(diffs, before, lookup);
      const downName = down.inUpFile ? 'its down section' : down.path.split('/').pop();
      ctx.report({
        origin: { file: file.path, ...migrationFindingRange(file) },
        message: `After up then down, the schema differs from before up: ${diffs.map(describeDifference).join('; ')}. `
          + (reversal.sql.length && !down.inUpFile ? `Add to ${downName}: ${reversal.sql.join(' ')}` : ''),
        fix: down.inUpFile && reversal.sql.length ? appendToDown(file, reversal.sql, reversal.missing) : undefined,
      });
    }
  },
});

/** The missing reversal statements, at the end of the file (where the down section is). */
function appendToDown(file: HistoryFile, sql: string[], missing: string[]): Fix {
  const nl = eol(file.text);
  const lead = file.text.endsWith('\n') ? '' : nl;
  const todo = missing.map((m) => `-- TODO: ${m}${nl}`).join('');
  const body = `${sql.join(nl)}${nl}${todo}`;
  const wrapped = file.context.layout === 'goose' && body.includes('$') ? `-- +goose StatementBegin${nl}${body}-- +goose StatementEnd${nl}` : body;
  return { title: `Add the ${sql.length} missing reversal statement${sql.length > 1 ? 's' : ''} to the down section`, edits: [{ start: file.text.length, end: file.text.length, newText: `${lead}${wrapped}` }] };
}
