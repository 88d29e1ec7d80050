import { defineRule } from '../rule-kit/define-rule';

/** The token PostgreSQL stopped at: a word, a number, a quoted string or identifier, or one character. */
const TOKEN = /^(?:[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*|\d+(?:\.\d+)?|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|\$\w*\$|::|\S)/;

/** PostgreSQL quotes the token it stopped at, which for an unterminated string is the rest of the file. */
function boundedMessage(message: string): string {
  return message.replace(/(at or near ")([\s\S]{60})[\s\S]+(")$/, '$1$2…$3');
}

export const syntaxError = defineRule({
  id: 'syntax-error',
  meta: {
    description: "A statement PostgreSQL's own grammar rejects, reported with PostgreSQL's message at the token where it stopped.",
    category: 'parsing',
    defaultSeverity: 'error',
    fix: 'none',
  },
  check(ctx) {
    const { file } = ctx;
    let templatedReported = false;
    for (const stmt of file.statements) {
      if (stmt.status === 'ok' || !stmt.error) continue;
      if (stmt.status === 'templated') {
        if (templatedReported) continue;
        templatedReported = true;
        const count = file.statements.filter((s) => s.status === 'templated').length;
        ctx.report({
          statement: stmt,
          start: stmt.start,
          end: stmt.end,
          severity: 'info',
          message: `This file is a template: ${count} statement${count === 1 ? '' : 's'} contain${count === 1 ? 's' : ''} {{ … }} placeholders and cannot be checked until they are filled in.`,
        });
        continue;
      }
      if (stmt.status === 'psql-variables') {
        ctx.report({
          statement: stmt,
          start: stmt.start,
          end: stmt.end,
          severity: 'info',
          message: 'This statement uses psql variables (:name), so it is not SQL until psql substitutes them; pgvet does not check it.',
        });
        continue;
      }
      const at = stmt.error.offset;
      let start = at;
      let end = at;
      if (at >= stmt.end || /at end of input/.test(stmt.error.message)) {
        // Nothing to underline after the end: mark the statement's last character.
        start = Math.max(stmt.start, stmt.end - 1);
        end = stmt.end;
      } else {
        const m = TOKEN.exec(file.text.slice(at, Math.min(stmt.end, at + 200)));
        end = at + (m ? m[0].length : 1);
      }
      ctx.report({ statement: stmt, start, end, message: boundedMessage(stmt.error.message) });
    }
  },
});
