/** The AST's positions in the statement's text (`location`, `name_location`, `list_start`, `rexpr_list_end` …). */
const POSITION = /(^|_)(location|list_start|list_end)$/;

/**
 * Every position in a statement's AST replaced by the file offset it stands for, to compare two parses of the same
 * statement made from different texts. libpg-query's JSON leaves out a position of 0, so a node at the very start
 * of the text it was given (a WITH clause) has its position only when the statement was not first in that text:
 * this varies in a full parse with the errors around the statement, and no code reads such a position. A position
 * at the statement's start is therefore left out on both sides.
 */
export function placedPositions(ast: unknown, start: number, toFileOffset: (loc: number) => number): unknown {
  return JSON.parse(JSON.stringify(ast), (key, value) => {
    if (!POSITION.test(key) || typeof value !== 'number' || value < 0) return value;
    const at = toFileOffset(value);
    return at === start ? undefined : at;
  });
}
