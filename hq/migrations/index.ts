import { m001_chain } from './001_chain';

export interface HqMigration {
  version: number;
  name: string;
  sql: string;
}

/** In order; never edit a released migration (its checksum is checked at start), add the next number. */
export const hqMigrations: HqMigration[] = [m001_chain];
