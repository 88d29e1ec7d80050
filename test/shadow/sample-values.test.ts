import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generatorFor, limitsFromCheck, seededRandom, type ColumnLimits, type ValueContext } from '../../core/src/shadow/sample-values';

const ctx = (over: Partial<ValueContext> = {}): ValueContext => ({ i: 0, random: seededRandom(1), distinct: false, offset: 0, column: 'c', table: 't', limits: {}, ...over });

describe('limitsFromCheck reads CHECKs as pg_get_constraintdef prints them', () => {
  const read = (def: string, column: string): ColumnLimits => {
    const limits: ColumnLimits = {};
    limitsFromCheck(def, column, limits);
    return limits;
  };
  test('comparisons, BETWEEN, casts, lengths, lists', () => {
    assert.deepEqual(read('CHECK ((amount_minor > 0))', 'amount_minor'), { min: 0, minExclusive: true });
    assert.deepEqual(read('CHECK (((score >= (0)::numeric) AND (score <= (100)::numeric)))', 'score'), { min: 0, minExclusive: false, max: 100, maxExclusive: false });
    assert.deepEqual(read('CHECK ((char_length(num) <= 150)) NOT VALID', 'num'), { maxLength: 150 });
    assert.deepEqual(read('CHECK ((octet_length(tar_sha256) = 32))', 'tar_sha256'), { maxLength: 32, minLength: 32 });
    assert.deepEqual(read("CHECK ((status = ANY (ARRAY['active'::text, 'invited'::text])))", 'status'), { choices: ['active', 'invited'] });
    assert.deepEqual(read("CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, 'b''c'::character varying])::text[])))", 'kind'), { choices: ['a', "b'c"] });
  });
  test('leaves OR and other columns alone', () => {
    assert.deepEqual(read('CHECK (((a > 0) OR (b > 0)))', 'a'), {});
    assert.deepEqual(read('CHECK ((b > 0))', 'a'), {});
  });
});

describe('generators', () => {
  test('distinct values differ, stay within varchar length and CHECK bounds', () => {
    const varchar = generatorFor({ base: 'varchar', typmod: 8 + 4 })!;
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const v = varchar(ctx({ i, distinct: true, column: 'name' }))!;
      assert.ok(v.length <= 8, v);
      seen.add(v);
    }
    assert.equal(seen.size, 500);
    const smallint = generatorFor({ base: 'int2', typmod: -1 })!;
    for (let i = 0; i < 200; i++) {
      const v = Number(smallint(ctx({ i, random: seededRandom(i), limits: { min: 18, max: 99 } })));
      assert.ok(v >= 18 && v <= 99, String(v));
    }
    assert.equal(generatorFor({ base: 'bool', typmod: -1 })!(ctx({ i: 2, distinct: true })), undefined);
  });
  test('numeric fits its precision, enums use their labels, arrays are literals', () => {
    const numeric = generatorFor({ base: 'numeric', typmod: ((5 << 16) | 2) + 4 })!;
    for (let i = 0; i < 100; i++) assert.ok(Math.abs(Number(numeric(ctx({ i, random: seededRandom(i) })))) < 1000);
    assert.equal(generatorFor({ base: 'mood', typmod: -1, labels: ['sad', 'ok'] })!(ctx({ i: 1, distinct: true })), 'ok');
    assert.match(generatorFor({ base: 'array', typmod: -1, element: { base: 'text', typmod: -1 } })!(ctx())!, /^\{"[^"]+"(,"[^"]+")*\}$/);
    assert.equal(generatorFor({ base: 'tsquery', typmod: -1 }), undefined);
  });
  test('the same seed gives the same values', () => {
    const uuid = generatorFor({ base: 'uuid', typmod: -1 })!;
    assert.equal(uuid(ctx({ random: seededRandom(42) })), uuid(ctx({ random: seededRandom(42) })));
  });
});
