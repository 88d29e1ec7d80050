/**
 * The SQL command a parse-tree statement kind stands for, as PostgreSQL's command tags name it
 * (`DropdbStmt` → `DROP DATABASE`, `CreateStmt` → `CREATE TABLE`), for messages. Splitting the node name into
 * words gave "DROPDB" and "CREATE"; the node names follow no rule a regular expression could undo.
 */
type Json = Record<string, unknown>;

const FIXED: Record<string, string> = {
  AlterCollationStmt: 'ALTER COLLATION',
  AlterDatabaseRefreshCollStmt: 'ALTER DATABASE … REFRESH COLLATION VERSION',
  AlterDatabaseSetStmt: 'ALTER DATABASE … SET',
  AlterDatabaseStmt: 'ALTER DATABASE',
  AlterDefaultPrivilegesStmt: 'ALTER DEFAULT PRIVILEGES',
  AlterDomainStmt: 'ALTER DOMAIN',
  AlterEnumStmt: 'ALTER TYPE',
  AlterEventTrigStmt: 'ALTER EVENT TRIGGER',
  AlterExtensionContentsStmt: 'ALTER EXTENSION',
  AlterExtensionStmt: 'ALTER EXTENSION',
  AlterFdwStmt: 'ALTER FOREIGN DATA WRAPPER',
  AlterForeignServerStmt: 'ALTER SERVER',
  AlterFunctionStmt: 'ALTER FUNCTION',
  AlterOpFamilyStmt: 'ALTER OPERATOR FAMILY',
  AlterOperatorStmt: 'ALTER OPERATOR',
  AlterPolicyStmt: 'ALTER POLICY',
  AlterPublicationStmt: 'ALTER PUBLICATION',
  AlterRoleSetStmt: 'ALTER ROLE … SET',
  AlterRoleStmt: 'ALTER ROLE',
  AlterSeqStmt: 'ALTER SEQUENCE',
  AlterStatsStmt: 'ALTER STATISTICS',
  AlterSubscriptionStmt: 'ALTER SUBSCRIPTION',
  AlterSystemStmt: 'ALTER SYSTEM',
  AlterTSConfigurationStmt: 'ALTER TEXT SEARCH CONFIGURATION',
  AlterTSDictionaryStmt: 'ALTER TEXT SEARCH DICTIONARY',
  AlterTableSpaceOptionsStmt: 'ALTER TABLESPACE',
  AlterTypeStmt: 'ALTER TYPE',
  AlterUserMappingStmt: 'ALTER USER MAPPING',
  CallStmt: 'CALL',
  CheckPointStmt: 'CHECKPOINT',
  ClosePortalStmt: 'CLOSE',
  ClusterStmt: 'CLUSTER',
  CommentStmt: 'COMMENT',
  CompositeTypeStmt: 'CREATE TYPE',
  ConstraintsSetStmt: 'SET CONSTRAINTS',
  CopyStmt: 'COPY',
  CreateAmStmt: 'CREATE ACCESS METHOD',
  CreateCastStmt: 'CREATE CAST',
  CreateConversionStmt: 'CREATE CONVERSION',
  CreateDomainStmt: 'CREATE DOMAIN',
  CreateEnumStmt: 'CREATE TYPE',
  CreateEventTrigStmt: 'CREATE EVENT TRIGGER',
  CreateExtensionStmt: 'CREATE EXTENSION',
  CreateFdwStmt: 'CREATE FOREIGN DATA WRAPPER',
  CreateForeignServerStmt: 'CREATE SERVER',
  CreateForeignTableStmt: 'CREATE FOREIGN TABLE',
  CreateOpClassStmt: 'CREATE OPERATOR CLASS',
  CreateOpFamilyStmt: 'CREATE OPERATOR FAMILY',
  CreatePLangStmt: 'CREATE LANGUAGE',
  CreatePolicyStmt: 'CREATE POLICY',
  CreatePublicationStmt: 'CREATE PUBLICATION',
  CreateRangeStmt: 'CREATE TYPE',
  CreateRoleStmt: 'CREATE ROLE',
  CreateSchemaStmt: 'CREATE SCHEMA',
  CreateSeqStmt: 'CREATE SEQUENCE',
  CreateStatsStmt: 'CREATE STATISTICS',
  CreateStmt: 'CREATE TABLE',
  CreateSubscriptionStmt: 'CREATE SUBSCRIPTION',
  CreateTableSpaceStmt: 'CREATE TABLESPACE',
  CreateTransformStmt: 'CREATE TRANSFORM',
  CreateTrigStmt: 'CREATE TRIGGER',
  CreateUserMappingStmt: 'CREATE USER MAPPING',
  CreatedbStmt: 'CREATE DATABASE',
  DeallocateStmt: 'DEALLOCATE',
  DeclareCursorStmt: 'DECLARE CURSOR',
  DeleteStmt: 'DELETE',
  DiscardStmt: 'DISCARD',
  DoStmt: 'DO',
  DropOwnedStmt: 'DROP OWNED',
  DropRoleStmt: 'DROP ROLE',
  DropSubscriptionStmt: 'DROP SUBSCRIPTION',
  DropTableSpaceStmt: 'DROP TABLESPACE',
  DropUserMappingStmt: 'DROP USER MAPPING',
  DropdbStmt: 'DROP DATABASE',
  ExecuteStmt: 'EXECUTE',
  ExplainStmt: 'EXPLAIN',
  FetchStmt: 'FETCH',
  ImportForeignSchemaStmt: 'IMPORT FOREIGN SCHEMA',
  InsertStmt: 'INSERT',
  ListenStmt: 'LISTEN',
  LoadStmt: 'LOAD',
  LockStmt: 'LOCK TABLE',
  MergeStmt: 'MERGE',
  NotifyStmt: 'NOTIFY',
  PLAssignStmt: 'assignment',
  PrepareStmt: 'PREPARE',
  ReassignOwnedStmt: 'REASSIGN OWNED',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  ReindexStmt: 'REINDEX',
  ReplicaIdentityStmt: 'ALTER TABLE … REPLICA IDENTITY',
  ReturnStmt: 'RETURN',
  RuleStmt: 'CREATE RULE',
  SecLabelStmt: 'SECURITY LABEL',
  SelectStmt: 'SELECT',
  SetOperationStmt: 'SELECT',
  TruncateStmt: 'TRUNCATE',
  UnlistenStmt: 'UNLISTEN',
  UpdateStmt: 'UPDATE',
  VariableShowStmt: 'SHOW',
  ViewStmt: 'CREATE VIEW',
};

/** Object types whose SQL words are not the enum's words (`OBJECT_MATVIEW` → `MATERIALIZED VIEW`). */
const OBJECT_WORDS: Record<string, string> = {
  ACCESS_METHOD: 'ACCESS METHOD', AMOP: 'OPERATOR FAMILY', AMPROC: 'OPERATOR FAMILY', DEFACL: 'DEFAULT PRIVILEGES',
  DOMCONSTRAINT: 'CONSTRAINT', FDW: 'FOREIGN DATA WRAPPER', FOREIGN_SERVER: 'SERVER', LARGEOBJECT: 'LARGE OBJECT',
  MATVIEW: 'MATERIALIZED VIEW', OPCLASS: 'OPERATOR CLASS', OPFAMILY: 'OPERATOR FAMILY', PUBLICATION_NAMESPACE: 'PUBLICATION',
  PUBLICATION_REL: 'PUBLICATION', STATISTIC_EXT: 'STATISTICS', TABCONSTRAINT: 'CONSTRAINT', TSCONFIGURATION: 'TEXT SEARCH CONFIGURATION',
  TSDICTIONARY: 'TEXT SEARCH DICTIONARY', TSPARSER: 'TEXT SEARCH PARSER', TSTEMPLATE: 'TEXT SEARCH TEMPLATE', ATTRIBUTE: 'TYPE',
};

/** `OBJECT_FOREIGN_TABLE` → `FOREIGN TABLE`. */
function objectWords(objectType: unknown, fallback: string): string {
  if (typeof objectType !== 'string' || !objectType.startsWith('OBJECT_')) return fallback;
  const key = objectType.slice('OBJECT_'.length);
  return OBJECT_WORDS[key] ?? key.replace(/_/g, ' ');
}

const DEFINE_WORDS: Record<string, string> = { OBJECT_AGGREGATE: 'AGGREGATE', OBJECT_OPERATOR: 'OPERATOR', OBJECT_TYPE: 'TYPE', OBJECT_COLLATION: 'COLLATION' };

const TRANSACTION_WORDS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN', TRANS_STMT_START: 'START TRANSACTION', TRANS_STMT_COMMIT: 'COMMIT', TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT', TRANS_STMT_RELEASE: 'RELEASE', TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION', TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED', TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

/** The command `kind` (a key of the parse tree's statement node) with its fields `node`, in SQL words. */
export function statementKindName(kind: string, statement: object = {}): string {
  const fixed = FIXED[kind];
  if (fixed) return fixed;
  const node: Json = { ...statement }; // read field by field, whatever the kind
  switch (kind) {
    case 'AlterTableStmt': return `ALTER ${objectWords(node.objtype, 'TABLE')}`;
    case 'AlterTableMoveAllStmt': return `ALTER ${objectWords(node.objtype, 'TABLE')} ALL IN TABLESPACE`;
    case 'AlterObjectSchemaStmt': return `ALTER ${objectWords(node.objectType, 'object')} … SET SCHEMA`;
    case 'AlterObjectDependsStmt': return `ALTER ${objectWords(node.objectType, 'object')} … DEPENDS ON EXTENSION`;
    case 'AlterOwnerStmt': return `ALTER ${objectWords(node.objectType, 'object')} … OWNER TO`;
    case 'RenameStmt': return `ALTER ${objectWords(node.renameType, 'object')} … RENAME`;
    case 'DropStmt': return `DROP ${objectWords(node.removeType, 'object')}`;
    case 'DefineStmt': return `CREATE ${DEFINE_WORDS[String(node.kind)] ?? objectWords(node.kind, 'object')}`;
    case 'CreateFunctionStmt': return node.is_procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
    case 'CreateTableAsStmt': return node.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
    case 'IndexStmt': return node.unique ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX';
    case 'GrantStmt':
    case 'GrantRoleStmt':
      return node.is_grant ? 'GRANT' : 'REVOKE'; // false is left out of the parse tree
    case 'TransactionStmt': return TRANSACTION_WORDS[String(node.kind)] ?? 'transaction control';
    case 'VacuumStmt': return node.is_vacuumcmd ? 'VACUUM' : 'ANALYZE';
    case 'VariableSetStmt': return node.kind === 'VAR_RESET' || node.kind === 'VAR_RESET_ALL' ? 'RESET' : 'SET';
    default: return kind.endsWith('Stmt') ? `a ${kind} statement` : kind;
  }
}
