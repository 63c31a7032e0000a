import type Database from 'better-sqlite3';
import { m001_ledger } from './001_ledger';
import { m002_offline } from './002_offline';
import { m003_sending_owner } from './003_sending_owner';
import { m005_mulaid_trace_reports } from './005_mulaid_trace_reports';
import { m006_chain_outbox } from './006_chain_outbox';
import { m007_split_packs } from './007_split_packs';
import { m008_chain_split_packs } from './008_chain_split_packs';
import { m009_outpatient_visits } from './009_outpatient_visits';
import { m010_tenders_shifts } from './010_tenders_shifts';
import { m011_recovery_parking_exports } from './011_recovery_parking_exports';
import { m012_audit_chain } from './012_audit_chain';
import { m013_drain_hold_indexes } from './013_drain_hold_indexes';
import { m014_operators } from './014_operators';
import { m015_visit_operator_register } from './015_visit_operator_register';
import { m016_person_totals } from './016_person_totals';
import { m017_offline_totals } from './017_offline_totals';
import { m018_desk_offline } from './018_desk_offline';
import { m019_lean_sale_commit } from './019_lean_sale_commit';
import { m020_claim_moves } from './020_claim_moves';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A step SQL cannot express (e.g. hashing the rows already there), run after `sql` in the same transaction. */
  run?: (db: Database.Database) => void;
}

/** In order; never edit a released migration, add the next number. */
export const migrations: Migration[] = [
  m001_ledger, m002_offline, m003_sending_owner, m005_mulaid_trace_reports, m006_chain_outbox, m007_split_packs, m008_chain_split_packs,
  m009_outpatient_visits, m010_tenders_shifts, m011_recovery_parking_exports, m012_audit_chain, m013_drain_hold_indexes, m014_operators,
  m015_visit_operator_register, m016_person_totals,
  m017_offline_totals,
  m018_desk_offline,
  m019_lean_sale_commit,
  m020_claim_moves,
];
