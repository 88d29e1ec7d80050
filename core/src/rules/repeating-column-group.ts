import { applicationTables, nameWords, plural, singular, tableLabel } from '../catalog/queries';
import { tableObject } from '../rule-kit/object-identity';
import { defineRule } from '../rule-kit/define-rule';

export const repeatingColumnGroup = defineRule({
  id: 'repeating-column-group',
  meta: {
    description: '1NF: three or more columns that differ only by a numeric suffix (phone1, phone2, phone3) store a list in columns.',
    category: 'normalisation',
    defaultSeverity: 'hint',
    fix: 'none',
  },
  checkCatalog(ctx) {
    for (const table of applicationTables(ctx.catalog)) {
      const groups = new Map<string, { n: number; name: string }[]>();
      for (const c of table.columns) {
        const m = /^(.*[A-Za-z])_?(\d{1,2})$/.exec(c.name);
        if (!m || m[1].replace(/_$/, '').length < 3) continue;
        const stem = m[1].replace(/_$/, '').toLowerCase();
        groups.set(stem, [...(groups.get(stem) ?? []), { n: Number(m[2]), name: c.name }]);
      }
      for (const [stem, members] of groups) {
        const numbers = [...new Set(members.map((m) => m.n))].sort((a, b) => a - b);
        // A run starting at 0, 1 or 2 of at least three: phone1..phone3, not sha256/sha512/md5.
        const run = numbers.length >= 3 && numbers[0] <= 2 && numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1);
        if (!run) continue;
        const owner = singular(nameWords(table.name).join('_'));
        const attribute = nameWords(stem).join('_');
        const target = `${owner}_${plural(attribute)}`;
        ctx.report({
          origin: table.origin,
          object: { ...tableObject(table, 'repeating group'), columns: members.map((m) => m.name) },
          message: `Columns ${members.map((m) => m.name).join(', ')} of "${tableLabel(table)}" repeat one attribute in numbered columns: a ${numbers.length + 1}th value needs a schema change, and queries must check every column. `
            + `Move them to a table "${target}" (${owner}_id → ${table.name}, ${attribute}, position) with one row per value.`,
        });
      }
    }
  },
});
