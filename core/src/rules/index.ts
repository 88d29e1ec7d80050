import type { AnyRule } from '../rule-kit/types';
import { addingRequiredColumn } from './adding-required-column';
import { addingStoredGeneratedColumn } from './adding-stored-generated-column';
import { appliedMigrationModified } from './applied-migration-modified';
import { auditColumns } from './audit-columns';
import { auditTrigger } from './audit-trigger';
import { attachPartitionWithoutCheck } from './attach-partition-without-check';
import { authUsersExposed } from './auth-users-exposed';
import { changingColumnType } from './changing-column-type';
import { concurrentlyInTransaction } from './concurrently-in-transaction';
import { constraintMissingNotValid } from './constraint-missing-not-valid';
import { destructiveChange } from './destructive-change';
import { detachPartitionNotConcurrent } from './detach-partition-not-concurrent';
import { downDoesNotRevertUp } from './down-does-not-revert-up';
import { duplicateIndex } from './duplicate-index';
import { duplicatedColumnSet } from './duplicated-column-set';
import { extensionInPublic } from './extension-in-public';
import { foreignKeyTypeMismatch } from './foreign-key-type-mismatch';
import { grantWithoutRls } from './grant-without-rls';
import { indexOnPartitionedTable } from './index-on-partitioned-table';
import { materializedViewInApi } from './materialized-view-in-api';
import { missingDownMigration } from './missing-down-migration';
import { missingTenantColumn } from './missing-tenant-column';
import { multiValuedColumn } from './multi-valued-column';
import { multiplePermissivePolicies } from './multiple-permissive-policies';
import { namingConvention } from './naming-convention';
import { noPrimaryKey } from './no-primary-key';
import { partialKeyDependency } from './partial-key-dependency';
import { partitionKeyNotInUnique } from './partition-key-not-in-unique';
import { policyAlwaysTrue } from './policy-always-true';
import { policyPerRowFunction } from './policy-per-row-function';
import { policyReferencesUserMetadata } from './policy-references-user-metadata';
import { policyWithoutRls } from './policy-without-rls';
import { preferBigint } from './prefer-bigint';
import { preferIdentity } from './prefer-identity';
import { preferText } from './prefer-text';
import { preferTimestamptz } from './prefer-timestamptz';
import { renamingColumn } from './renaming-column';
import { renamingTable } from './renaming-table';
import { repeatingColumnGroup } from './repeating-column-group';
import { requireConcurrentIndexCreation } from './require-concurrent-index-creation';
import { requireConcurrentIndexDeletion } from './require-concurrent-index-deletion';
import { requireLockTimeout } from './require-lock-timeout';
import { rlsDisabled } from './rls-disabled';
import { rlsEnabledNoPolicy } from './rls-enabled-no-policy';
import { rlsNotForced } from './rls-not-forced';
import { schemaMigrationDrift } from './schema-migration-drift';
import { securityDefinerExecutableByApiRoles } from './security-definer-executable-by-api-roles';
import { securityDefinerSearchPath } from './security-definer-search-path';
import { settingNotNull } from './setting-not-null';
import { syntaxError } from './syntax-error';
import { tenantPolicyMissing } from './tenant-policy-missing';
import { transitiveDependency } from './transitive-dependency';
import { unindexedForeignKey } from './unindexed-foreign-key';
import { uniqueConstraintWithoutIndex } from './unique-constraint-without-index';
import { unusedIgnore } from './unused-ignore';
import { viewBypassesRls } from './view-bypasses-rls';
import { volatileDefault } from './volatile-default';

/** Every rule, sorted by id (a test keeps it sorted and in step with the files in this folder). */
export const RULES: readonly AnyRule[] = [
  addingRequiredColumn,
  addingStoredGeneratedColumn,
  appliedMigrationModified,
  attachPartitionWithoutCheck,
  auditColumns,
  auditTrigger,
  authUsersExposed,
  changingColumnType,
  concurrentlyInTransaction,
  constraintMissingNotValid,
  destructiveChange,
  detachPartitionNotConcurrent,
  downDoesNotRevertUp,
  duplicateIndex,
  duplicatedColumnSet,
  extensionInPublic,
  foreignKeyTypeMismatch,
  grantWithoutRls,
  indexOnPartitionedTable,
  materializedViewInApi,
  missingDownMigration,
  missingTenantColumn,
  multiValuedColumn,
  multiplePermissivePolicies,
  namingConvention,
  noPrimaryKey,
  partialKeyDependency,
  partitionKeyNotInUnique,
  policyAlwaysTrue,
  policyPerRowFunction,
  policyReferencesUserMetadata,
  policyWithoutRls,
  preferBigint,
  preferIdentity,
  preferText,
  preferTimestamptz,
  renamingColumn,
  renamingTable,
  repeatingColumnGroup,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireLockTimeout,
  rlsDisabled,
  rlsEnabledNoPolicy,
  rlsNotForced,
  schemaMigrationDrift,
  securityDefinerExecutableByApiRoles,
  securityDefinerSearchPath,
  settingNotNull,
  syntaxError,
  tenantPolicyMissing,
  transitiveDependency,
  unindexedForeignKey,
  uniqueConstraintWithoutIndex,
  unusedIgnore,
  viewBypassesRls,
  volatileDefault,
];

const byId = new Map(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): AnyRule | undefined {
  return byId.get(id);
}
