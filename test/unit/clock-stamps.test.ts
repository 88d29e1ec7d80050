import assert from 'node:assert/strict';
import { test } from 'node:test';
import { laterThan, restamp } from '../../server/src/cli/clock-stamps';

const T0 = Date.UTC(2026, 11, 6, 14, 17, 24);
const T1 = Date.UTC(2026, 11, 7, 9, 5, 3);

test('restamp moves every form of a new migration\'s name from one time to another', () => {
  const kept = 'prisma 20261206141724_x, diesel 2026-12-06-141724_x, 12 digits 202612061417_x, 13 digits 2026120614172_x, padded 20261206141724000_x';
  assert.equal(restamp(kept, T0, T1), 'prisma 20261207090503_x, diesel 2026-12-07-090503_x, 12 digits 202612070905_x, 13 digits 2026120709050_x, padded 20261207090503000_x');
  assert.equal(restamp('20240101000000_init 0003_counter', T0, T1), '20240101000000_init 0003_counter', 'other versions stay');
});

test('laterThan finds a version at or after the time in paths and listings, in each style', () => {
  assert.equal(laterThan(['/p/migrations/20240101000000_init/migration.sql', 'view:d:0001_a'], T0), false);
  assert.equal(laterThan(['/p/migrations/29990101000000_init/migration.sql'], T0), true);
  assert.equal(laterThan(['/p/migrations/2999-01-01-000000_init/up.sql'], T0), true);
  assert.equal(laterThan(['/p/202612061417_same_minute.sql'], T0), true, 'a 12-digit version of the same minute');
  assert.equal(laterThan(['/p/20261206141724_same_second.sql'], T0), true);
  assert.equal(laterThan(['/p/20261206141723_second_before.sql'], T0), false);
});
