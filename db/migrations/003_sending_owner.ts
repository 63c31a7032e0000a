export const m003_sending_owner = {
  version: 3,
  name: 'sending_owner',
  sql: `
-- Who is sending a sale's 2102/2103 right now (host|pid|process start) and until when the claim holds
-- without that process: start-up recovery takes over only a sale whose owner is gone or whose lease
-- expired, never a live process's payment. Empty for sales not being sent (and for older rows).
ALTER TABLE sales ADD COLUMN owner TEXT;
ALTER TABLE sales ADD COLUMN lease_until TEXT;
`,
};
