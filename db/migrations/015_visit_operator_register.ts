/**
 * The billing desk (issue 10), after operators (issue 9): a visit records the operator who opened it
 * (visits.opter / opter_name; NULL for older visits), like a sale (migration 014). And the 2201 msgid is
 * stored on the visit before the registration leaves (register_msgid): a visit row exists from then on,
 * `registering` with an empty mdtrt_id until the platform's 就诊ID comes back, so a 2201 whose answer was
 * lost is known and resolved (main/outpatient/visit-register.ts) instead of leaving an orphan registration.
 */
export const m015_visit_operator_register = {
  version: 15,
  name: 'visit_operator_register',
  sql: `
ALTER TABLE visits ADD COLUMN opter TEXT;
ALTER TABLE visits ADD COLUMN opter_name TEXT;
ALTER TABLE visits ADD COLUMN register_msgid TEXT;
`,
};
