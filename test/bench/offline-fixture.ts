/** The offline benchmark's persons: the same generated fixture in the bench, its children and its simulators. */
import { buildFixture } from '../helpers/offline-env';

export const BENCH_PEOPLE = { employees: 150, residents: 60, families: 20, gzResidents: 0 };

export function benchFixture() {
  return buildFixture(BENCH_PEOPLE, 3);
}
