import { catalogRuleTests } from '../support/catalog-rule-tester';

catalogRuleTests('multi-valued-column', {
  valid: [
    { name: 'a proper join table', files: { 'migrations/001.sql': 'CREATE TABLE tags (id int PRIMARY KEY);\nCREATE TABLE posts (id int PRIMARY KEY);\nCREATE TABLE post_tags (post_id int REFERENCES posts, tag_id int REFERENCES tags, PRIMARY KEY (post_id, tag_id));\n' } },
    { name: 'an integer named *_list is not a list', files: { 'migrations/001.sql': 'CREATE TABLE t (id int PRIMARY KEY, price_list int);\n' } },
    { name: 'the column was dropped later', files: { 'migrations/001.sql': 'CREATE TABLE posts (id int PRIMARY KEY, tag_ids int[]);\n', 'migrations/002.sql': 'ALTER TABLE posts DROP COLUMN tag_ids;\n' } },
  ],
  invalid: [
    {
      name: 'an array of keys',
      files: { 'migrations/001.sql': 'CREATE TABLE tags (id int PRIMARY KEY);\nCREATE TABLE posts (id int PRIMARY KEY, tag_ids int[]);\n' },
      errors: [{ text: 'CREATE TABLE posts (id int PRIMARY KEY, tag_ids int[]);', message: /"tag_ids" of "posts" \(integer\[\]\) holds a list of keys.*"tags".*table "post_tags" \(post_id → posts, tag_id → tags\)/ }],
    },
    {
      name: 'comma-separated text, camelCase',
      files: { 'migrations/001.sql': 'CREATE TABLE "Survey" ("id" TEXT PRIMARY KEY, "questionIds" TEXT, "email_list" VARCHAR(500));\n' },
      errors: [{ message: /"questionIds" of "Survey" \(text\)/ }, { message: /"email_list" of "Survey" \(character varying\(500\)\) stores a list in one text value/ }],
    },
  ],
});
