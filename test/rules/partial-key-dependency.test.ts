import { catalogRuleTests } from '../support/catalog-rule-tester';

const base = 'CREATE TABLE students (id int PRIMARY KEY, name text);\nCREATE TABLE courses (id int PRIMARY KEY, title text);\n';

catalogRuleTests('partial-key-dependency', {
  valid: [
    { name: 'single-column key', files: { 'migrations/001.sql': base + 'CREATE TABLE enrollments (id int PRIMARY KEY, student_id int REFERENCES students, course_id int REFERENCES courses, course_title text);\n' } },
    { name: 'a column about the pair', files: { 'migrations/001.sql': base + 'CREATE TABLE enrollments (student_id int REFERENCES students, course_id int REFERENCES courses, grade text, PRIMARY KEY (student_id, course_id));\n' } },
    { name: 'the column was dropped later', files: { 'migrations/001.sql': base + 'CREATE TABLE enrollments (student_id int REFERENCES students, course_id int REFERENCES courses, course_title text, PRIMARY KEY (student_id, course_id));\n', 'migrations/002.sql': 'ALTER TABLE enrollments DROP COLUMN course_title;\n' } },
  ],
  invalid: [
    {
      files: { 'migrations/001.sql': base + 'CREATE TABLE enrollments (student_id int REFERENCES students, course_id int REFERENCES courses, course_title text, PRIMARY KEY (student_id, course_id));\n' },
      errors: [{ text: 'CREATE TABLE enrollments (student_id int REFERENCES students, course_id int REFERENCES courses, course_title text, PRIMARY KEY (student_id, course_id));', message: /In "enrollments", whose key is \(student_id, course_id\), "course_title" depends on course_id alone \(it repeats "courses"."title"\).*Keep it only in "courses"/ }],
    },
  ],
});
