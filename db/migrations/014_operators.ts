/**
 * Operators with their own sign-in (issue 9): code, name, role, the PIN's scrypt hash (never the PIN),
 * the wrong PINs counted in a row, locked (too many of them; an administrator unlocks) and disabled.
 * Every sale records the operator who opened it (sales.opter / opter_name; NULL for older sales).
 */
export const m014_operators = {
  version: 14,
  name: 'operators',
  sql: `
CREATE TABLE operators (
  code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 20 AND code NOT GLOB '*[^0-9A-Za-z]*'),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  role TEXT NOT NULL CHECK (role IN ('cashier', 'technician', 'administrator')),
  pin_hash TEXT NOT NULL CHECK (pin_hash LIKE 'scrypt$%'),
  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  -- 1 for the demo operators seeded on the built-in simulator (their PINs are shown on the demo sign-in screen).
  demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
ALTER TABLE sales ADD COLUMN opter TEXT;
ALTER TABLE sales ADD COLUMN opter_name TEXT;
`,
};
