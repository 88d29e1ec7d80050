import type { LayoutId } from '../catalog/layouts';
import { defineRule } from '../rule-kit/define-rule';
import type { Fix, Severity } from '../rule-kit/types';

/**
 * What each tool does with a migration edited after it ran. Researched per tool (see docs/rules/applied-migration-modified.md):
 * those that keep a checksum and act on it make it an error, the others silently never run the edit.
 */
const TOOL: Record<LayoutId, { severity: Severity; consequence: string }> = {
  prisma: {
    severity: 'error',
    consequence: 'Prisma stored its checksum in _prisma_migrations when it ran: `prisma migrate dev` now reports it "modified after it was applied" and wants to reset the development database, and `prisma migrate deploy` only warns and does not run the edit, so databases that ran the old text never get it.',
  },
  flyway: {
    severity: 'error',
    consequence: 'Flyway validates checksums before it migrates (validateOnMigrate is on by default): `flyway migrate` stops with "Migration checksum mismatch" on every database that ran the old text.',
  },
  sqitch: {
    severity: 'warning',
    consequence: 'sqitch recorded the deploy script\'s hash but does not deploy a deployed change again, so databases that ran the old text never get the edit (`sqitch rebase --modified` would revert and redeploy it); `sqitch rework` is its way to change a deployed change.',
  },
  drizzle: {
    severity: 'warning',
    consequence: 'drizzle records a hash but decides what to run from the journal\'s timestamps, so databases that ran the old text never get the edit.',
  },
  'golang-migrate': { severity: 'warning', consequence: 'golang-migrate records only the version, so databases that ran the old text never get the edit.' },
  goose: { severity: 'warning', consequence: 'goose records only the version, so databases that ran the old text never get the edit.' },
  dbmate: { severity: 'warning', consequence: 'dbmate records only the version, so databases that ran the old text never get the edit.' },
  diesel: { severity: 'warning', consequence: 'diesel records only the version, so databases that ran the old text never get the edit.' },
  pop: { severity: 'warning', consequence: 'pop records only the version, so databases that ran the old text never get the edit.' },
  supabase: { severity: 'warning', consequence: 'Supabase records the version, so databases that ran the old text never get the edit.' },
  plain: { severity: 'warning', consequence: 'The databases that ran the old text will not run it again, so they never get the edit, while a fresh database gets the new text.' },
};

/** The start of the first line that differs between the two texts, and that line's end in `text`. */
function firstChangedLine(text: string, base: string): { start: number; end: number } {
  let i = 0;
  while (i < text.length && i < base.length && text[i] === base[i]) i++;
  const start = text.lastIndexOf('\n', i - 1) + 1;
  const nl = text.indexOf('\n', start);
  return { start, end: nl < 0 ? text.length : nl };
}

export const appliedMigrationModified = defineRule({
  id: 'applied-migration-modified',
  meta: {
    description: 'A migration that already ran (it is in the git base ref) was edited: the databases that ran it never get the edit, and tools that checksum migrations refuse or warn.',
    category: 'safety',
    defaultSeverity: 'error',
    fix: 'suggestion',
    onAppliedMigrations: true,
  },
  check(ctx) {
    const state = ctx.migration;
    if (state?.kind !== 'applied' || state.by !== 'git' || !state.modified) return;
    const text = ctx.file.text;
    const baseText = state.modified.baseText;
    const range = baseText === undefined ? { start: 0, end: Math.max(0, text.indexOf('\n')) } : firstChangedLine(text, baseText);
    const tool = TOOL[ctx.fileContext.layout] ?? TOOL.plain;
    // The tool decides the severity unless the project chose one for this rule.
    const severity = ctx.severity === 'error' ? tool.severity : ctx.severity;
    const fix: Fix | undefined = baseText === undefined ? undefined : { title: `Restore the text of ${state.ref}`, edits: [{ start: 0, end: text.length, newText: baseText }] };
    ctx.report({
      start: range.start,
      end: range.end,
      severity,
      message: `This migration is applied (it is in ${state.ref}) and was edited since. ${tool.consequence} Restore its text and put the change in a new migration.`,
      fix,
    });
  },
});
