// Fixture validation messages, and the generated default fixture and terminal copies.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FixtureError, validateFixture, type Fixture } from '../../simulator/fixture';
import { defaultFixture } from '../../simulator/testkit';
import { generate } from '../../scripts/gen-fixture';
import { idCheckChar } from '../../simulator/idcard';

function broken(edit: (f: Fixture) => void): string {
  const f = defaultFixture();
  edit(f);
  try {
    validateFixture(f);
  } catch (e) {
    expect(e).toBeInstanceOf(FixtureError);
    return (e as Error).message;
  }
  throw new Error('fixture was accepted');
}

describe('fixture validation', () => {
  it('names the field', () => {
    expect(broken((f) => { f.persons[0]!.certno = f.persons[0]!.certno.slice(0, 17) + (f.persons[0]!.certno.endsWith('1') ? '2' : '1'); }))
      .toMatch(/^fixture persons\[0\]\.certno: invalid ID number: bad check digit/);
    expect(broken((f) => { f.bindings[0]!.relation = '朋友'; })).toMatch(/^fixture bindings\[0\]\.relation: "朋友" is not a near relative/);
    expect(broken((f) => { (f.persons[1] as any).acct_balc = 12.5; })).toBe('fixture persons[1].acct_balc: must be an integer (fen)');
    expect(broken((f) => { f.persons[2]!.insuplc_admdvs = '120100'; })).toMatch(/^fixture persons\[2\]\.insuplc_admdvs: region 120100 is not in regions/);
    expect(broken((f) => { (f.regions[0] as any).payment_order = ['own_acct', 'own_acct', 'wallet']; })).toMatch(/^fixture regions\[0\]\.payment_order: must be a permutation/);
    expect(broken((f) => { (f.drugs[3] as any).chrgitm_lv = '04'; })).toMatch(/^fixture drugs\[3\]\.chrgitm_lv: /);
    expect(broken((f) => { delete (f.persons[4] as any).psn_name; })).toMatch(/^fixture persons\[4\]\.psn_name: /);
    expect(broken((f) => { f.persons[5]!.gend = f.persons[5]!.gend === '1' ? '2' : '1'; })).toMatch(/^fixture persons\[5\]\.gend: must match the ID number/);
    expect(broken((f) => { f.districts = { '330106': '330200' }; })).toBe('fixture districts.330106: pooled region 330200 is not in regions');
    expect(broken((f) => { f.limits = { max_medfee_per_sale: 0 }; })).toBe('fixture limits.max_medfee_per_sale: must be positive');
    expect(broken((f) => { (f.persons[0] as any).supplementary = ['dental']; })).toMatch(/^fixture persons\[0\]\.supplementary\[0\]: /);
  });

  it('refuses a giver who is not an employee, and a resident with an account', () => {
    const resident = defaultFixture().persons.find((p) => p.label === 'resident')!;
    expect(broken((f) => { f.bindings[0]!.giver = resident.psn_no; })).toMatch(/^fixture bindings\[0\]\.giver: the giver must be an employee \(310\)/);
    expect(broken((f) => { f.persons.find((p) => p.label === 'resident')!.acct_balc = 100; })).toMatch(/acct_balc: a resident \(390\) has no personal account/);
    expect(broken((f) => { f.bindings.push({ ...f.bindings[0]! }); })).toMatch(/duplicate/);
  });
});

describe('generated data', () => {
  it('the committed files are what the generator writes (deterministic)', () => {
    const g = generate();
    const read = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
    expect(read('simulator/fixtures/default.json')).toEqual(JSON.parse(JSON.stringify(g.fixture)));
    expect(read('main/config/catalog.default.json')).toEqual(g.catalog);
    expect(read('main/config/regions.default.json')).toEqual(g.regions);
    expect(generate()).toEqual(g);
  });

  it('has the required size, personas and valid codes', () => {
    const { fixture, catalog } = generate();
    expect(fixture.persons.length).toBeGreaterThanOrEqual(50);
    expect(fixture.drugs.length).toBeGreaterThanOrEqual(200);
    expect(new Set(fixture.regions.map((r) => r.admdvs.slice(0, 2))).size).toBeGreaterThanOrEqual(3);
    const labels = fixture.persons.map((p) => p.label).filter(Boolean);
    for (const l of ['employee', 'retiree', 'daughter', 'resident', 'cross_province', 'gz_family_receiver', 'gz_family_giver', 'suspended', 'no_filing']) {
      expect(labels).toContain(l);
    }
    for (const p of fixture.persons) {
      expect(p.certno.slice(17)).toBe(idCheckChar(p.certno.slice(0, 17)));
      expect(p.cards.length).toBeGreaterThan(0);
    }
    for (const c of catalog) {
      expect(c.barcode).toMatch(/^69\d{11}$/);
      let sum = 0;
      for (let i = 0; i < 12; i++) sum += Number(c.barcode[i]) * (i % 2 ? 3 : 1);
      expect(Number(c.barcode[12])).toBe((10 - (sum % 10)) % 10);
      expect(c.trace_prefix).toMatch(/^\d{7}$/);
      expect(Number.isInteger(c.pric_fen)).toBe(true);
    }
    expect(new Set(catalog.map((c) => c.barcode)).size).toBe(catalog.length);
    expect(new Set(catalog.map((c) => c.trace_prefix)).size).toBe(catalog.length);
  });
});
