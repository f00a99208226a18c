-- The minimal floor's schema: users, groups and memberships per tenant, the lookups IdPs make
-- (userName, group displayName) on unique case-folded columns.
CREATE TABLE IF NOT EXISTS users (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  user_name_ci TEXT NOT NULL,
  data TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS users_user_name ON users (tenant_id, user_name_ci);
CREATE TABLE IF NOT EXISTS groups (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  display_name_ci TEXT NOT NULL,
  data TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS groups_display_name ON groups (tenant_id, display_name_ci);
CREATE TABLE IF NOT EXISTS group_members (
  tenant_id TEXT NOT NULL,
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, group_id, user_id)
);
CREATE INDEX IF NOT EXISTS group_members_user ON group_members (tenant_id, user_id);
