import { applicationTables, findTable, nameWords, plural, singular, tableLabel } from '../catalog/queries';
import { columnObject } from '../rule-kit/object-identity';
import { defineRule } from '../rule-kit/define-rule';

const TEXT = /^(text|character varying(\(\d+\))?|character(\(\d+\))?|citext)$/;
const KEY_ARRAY = /^(uuid|integer|bigint|smallint|text|character varying(\(\d+\))?)\[\]$/;

export const multiValuedColumn = defineRule({
  id: 'multi-valued-column',
  meta: {
    description: '1NF: a column whose name says it holds a list of keys (*_ids, *_list) in text, JSON or an array, where no foreign key can protect them.',
    category: 'normalisation',
    defaultSeverity: 'hint',
    fix: 'none',
  },
  checkCatalog(ctx) {
    for (const table of applicationTables(ctx.catalog)) {
      for (const c of table.columns) {
        const words = nameWords(c.name);
        const last = words[words.length - 1];
        if (words.length < 2 || (last !== 'ids' && last !== 'list')) continue;
        const isText = TEXT.test(c.type);
        const isKeys = last === 'ids' && (isText || KEY_ARRAY.test(c.type) || c.type === 'jsonb' || c.type === 'json');
        const isList = last === 'list' && isText;
        if (!isKeys && !isList) continue;
        const entity = singular(words.slice(0, -1).join('_'));
        const referenced = findTable(ctx.catalog, plural(entity)) ?? findTable(ctx.catalog, entity);
        const owner = singular(nameWords(table.name).join('_'));
        const target = `${owner}_${plural(entity)}`;
        const refText = referenced ? ` → ${tableLabel(referenced)}` : '';
        ctx.report({
          origin: table.origin,
          object: columnObject(table, c),
          message: isKeys
            ? `Column "${c.name}" of "${tableLabel(table)}" (${c.type}) holds a list of keys that no foreign key can check: deleting ${referenced ? `a row of "${tableLabel(referenced)}"` : 'the referenced row'} leaves dangling ids, and finding the ${table.name} of one ${entity} needs a scan or a special index. `
              + `Move it to a table "${target}" (${owner}_id → ${table.name}, ${entity}_id${refText}) with one row per value.`
            : `Column "${c.name}" of "${tableLabel(table)}" (${c.type}) stores a list in one text value: every reader must split it, and no constraint checks the items. `
              + `Move it to a table "${target}" (${owner}_id → ${table.name}, ${entity}) with one row per item.`,
        });
      }
    }
  },
});
