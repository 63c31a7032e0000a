// Money parsing, ID numbers, the fault PRNG.
import { describe, expect, it } from 'vitest';
import { fenToYuan, parseYuan } from '../../simulator/money';
import { idCheckChar, idProblem } from '../../simulator/idcard';
import { FaultInjector, parseFaultFlag } from '../../simulator/faults';

describe('money', () => {
  it.each([
    ['12.30', 1230], ['12.3', 1230], ['12', 1200], ['0.01', 1], ['0.00', 0], [12.3, 1230], [0.1, 10], [19.99, 1999], [1e3, 100000],
  ])('parseYuan(%j) = %d', (v, fen) => expect(parseYuan(v)).toBe(fen));

  it.each([['12.301'], ['1,00'], [''], ['abc'], [0.1 + 0.2], [NaN], [null], ['1e3']])('parseYuan(%j) is null', (v) => {
    expect(parseYuan(v)).toBeNull();
  });

  it('formats fen', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(123456)).toBe('1234.56');
    expect(fenToYuan(-150)).toBe('-1.50');
    expect(() => fenToYuan(1.5)).toThrow();
  });
});

describe('ID numbers', () => {
  it('computes the ISO 7064 MOD 11-2 check character', () => {
    expect(idCheckChar('11010519491231002')).toBe('X'); // the GB 11643 example
    expect(idProblem('11010519491231002X')).toBeNull();
    expect(idProblem('110105194912310021')).toMatch(/check digit/);
    expect(idProblem('11010519491331002X')).toMatch(/check digit|birth/);
  });
});

describe('faults', () => {
  it('count limits and determinism', () => {
    const run = () => {
      const f = new FaultInjector(3);
      f.set([{ infno: '2102', kind: 'reset', rate: 0.5, count: 3 }, { infno: '*', kind: 'latency', rate: 1, latency_ms: 5 }]);
      return Array.from({ length: 20 }, () => f.decide('2102'));
    };
    const a = run();
    expect(a.filter((d) => d.kind === 'reset')).toHaveLength(3);
    expect(a.every((d) => d.latencyMs === 5)).toBe(true);
    expect(run()).toEqual(a);
  });

  it('parses the --fault flag', () => {
    expect(parseFaultFlag('2102:drop_after_commit:1:2')).toEqual({ infno: '2102', kind: 'drop_after_commit', rate: 1, count: 2 });
    expect(parseFaultFlag('*:latency:0.5::200')).toEqual({ infno: '*', kind: 'latency', rate: 0.5, latency_ms: 200 });
    expect(parseFaultFlag('2102:tamper:1:1:sum')).toEqual({ infno: '2102', kind: 'tamper', rate: 1, count: 1, tamper: 'sum' });
    expect(() => parseFaultFlag('2102:tamper:1:1')).toThrow(/TAMPER/);
    expect(() => parseFaultFlag('2102:boom:1')).toThrow();
  });
});
