/**
 * The layer table of docs/architecture.md, as rules (`npm run lint` runs them; CI fails on any).
 * Paths are relative to the folder depcruise runs in (the repository root; the test in
 * test/unit/layers.test.ts runs it on a small tree of bad imports and expects every rule to fire).
 *
 * A layer rule says what a folder MAY import: anything else is an error. Node's own modules and npm
 * packages are allowed unless a rule below says otherwise (SQLite, I/O in the pure domain).
 */

/** Paths a layer may import besides its own folder, npm packages and Node's modules. */
function layer(name, from, mayImport, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from },
    to: { dependencyTypesNot: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg'], pathNot: [from, ...mayImport] },
  };
}

const MASK = '^devices/mask\\.ts$';
const VALIDATION = '^main/validation/';
const SETTLEMENT = '^main/settlement/';
const PLATFORM = '^main/platform/';
const SENDING = '^main/sending/';
const DB = '^db/';
const LEDGER = '^main/ledger/';

module.exports = {
  forbidden: [
    {
      name: 'no-file-cycles',
      comment: 'No two files import each other, directly or around a loop.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'No two folders import each other, directly or around a loop.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },

    layer('settlement-is-pure', SETTLEMENT, ['^main/platform/money\\.ts$', '^devices/printer/text-width\\.ts$'],
      'The split engine and the sale state machine: pure functions (two pure display helpers).'),
    {
      name: 'settlement-no-io',
      comment: 'The pure domain uses no Node module (no file, no network, no clock source of its own).',
      severity: 'error',
      from: { path: SETTLEMENT },
      to: { dependencyTypes: ['core'] },
    },
    layer('platform', PLATFORM, [SETTLEMENT, VALIDATION], 'The platform client knows settlement types and validation only.'),
    layer('sending', SENDING, [SETTLEMENT, PLATFORM, DB, VALIDATION], 'Send once: msgid journal, send, outcome, 2601.'),
    layer('ledger', LEDGER, [SETTLEMENT, PLATFORM, SENDING, DB, VALIDATION], 'The sale record shared by the online and offline paths.'),
    layer('offline', '^main/offline/', [SETTLEMENT, PLATFORM, SENDING, LEDGER, DB, VALIDATION, MASK],
      'Store-and-forward: never imports the online counter (sales), the config file or the devices (but the one masking module).'),
    layer('sales', '^main/sales/', [SETTLEMENT, PLATFORM, SENDING, LEDGER, '^main/offline/', DB, VALIDATION, MASK, '^devices/classify\\.ts$', '^devices/types\\.ts$', '^devices/printer/'],
      'The online counter: may hand a sale to the offline desk, never the other way round.'),
    layer('outpatient', '^main/outpatient/', [SETTLEMENT, PLATFORM, SENDING, DB, VALIDATION, MASK, '^devices/printer/', '^main/sales/(identify|platform-call)\\.ts$'],
      'The billing desk: visits over the platform client and send-once; identification and the wording of failures shared with the counter.'),
    layer('counter', '^main/counter/', [SETTLEMENT, PLATFORM, LEDGER, '^main/offline/policy\\.ts$', DB, VALIDATION, MASK, '^devices/printer/'],
      'The counter\'s money desk (tenders, 全自费, shifts): over the ledger; never the sales routing nor the API.'),
    layer('config', '^main/config/', [VALIDATION, '^devices/config\\.ts$', '^main/[a-z-]+/settings\\.ts$', '^main/log/config\\.ts$'],
      'The config file composes each module\'s own settings schema (devices/config.ts, main/*/settings.ts).'),
    layer('validation', VALIDATION, [], 'zod helpers: nothing of ours.'),
    {
      name: 'api-uses-services',
      comment: 'The contract and its bindings reach the ledger through the services, never the repositories.',
      severity: 'error',
      from: { path: '^main/api/' },
      to: { path: ['^main/app/', '^main/cli/', '^renderer/', '^simulator/', DB] },
    },
    {
      name: 'app-is-thin',
      comment: 'Electron: the window and its lifecycle over the API; no business module directly.',
      severity: 'error',
      from: { path: '^main/app/' },
      to: { path: ['^main/(sales|outpatient|offline|platform|settlement|sending|ledger|cli)/', DB, '^devices/', '^renderer/', '^simulator/'] },
    },
    {
      name: 'cli-not-app',
      comment: 'The command line runs without Electron (its build script shares the app build\'s data copy).',
      severity: 'error',
      from: { path: '^main/cli/', pathNot: '^main/cli/build\\.ts$' },
      to: { path: ['^main/app/', '^renderer/', '^simulator/'] },
    },
    layer('terminal-root', '^main/terminal\\.ts$', ['^main/', DB, '^simulator/server\\.ts$'],
      'The composition root: wires main, opens the ledger, starts the embedded simulator (dynamic import).'),
    layer('devices', '^devices/', [], 'Drivers and decoders: nothing from main.'),
    layer('hq', '^hq/', [VALIDATION, '^main/platform/(money|time)\\.ts$'],
      'Chain headquarters (docs/chain.md): its own service and PostgreSQL; shares only validation and money/time formatting.'),
    layer('chain', '^main/chain/', [DB, VALIDATION, '^hq/protocol\\.ts$', '^main/settlement/sale-error\\.ts$', '^main/platform/time\\.ts$', '^main/sales/sale-service\\.ts$'],
      'The terminal side of the chain: the outbox repository, the wire protocol, the trace-code hook over the sale service.'),
    layer('db', DB, [], 'The ledger: connection, migrations, repositories; nothing from main.'),
    layer('simulator', '^simulator/', [], 'The stand-in platform shares no code with the terminal.'),
    layer('renderer', '^renderer/src/', ['^main/api/contract\\.ts$', '^main/platform/china-time\\.ts$'],
      'Presentation: the contract, the one China-time formatter (pure, shared with main) and its own code only.'),
    {
      name: 'sql-only-in-db',
      comment: 'SQLite is opened and queried in db/ only (the simulator has its own SQLite, in its own program).',
      severity: 'error',
      from: { pathNot: [DB, '^simulator/', '^test/'] },
      to: { path: '(^|/)node_modules/better-sqlite3/' },
    },
    {
      name: 'ledger-handle-only-in-db',
      comment: 'db/sqlite.ts turns the opaque ledger handle into a SQLite connection: repositories (and tests) only.',
      severity: 'error',
      from: { pathNot: [DB, '^test/'] },
      to: { path: '^db/sqlite\\.ts$' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      from: { pathNot: ['^test/', '^scripts/'] },
      to: { path: '^test/' },
    },
  ],
  options: {
    // TypeScript 7 has no JavaScript API, so dependency-cruiser parses with swc (scripts/lint/swc-tsx.cjs
    // turns TSX on for .tsx files). Type-only imports count: a layer may not even name another's types.
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^test/fixtures/', '^dist/', '^node_modules/'] },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
