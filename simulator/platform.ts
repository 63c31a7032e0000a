// The platform's transactions, one function per infno. Each returns the envelope's `output`
// or throws a Refusal (infcode -1 with a Chinese err_msg and a stable err_code).
// Everything that writes runs inside one SQLite transaction, so a refusal leaves no trace.
import type { Db, PersonRow } from './db';
import { addYtd, credit, debit, getPerson, getPersonById, getRegion, getYtd, giversOf } from './db';
import { computeSplit, type Split } from './policy';
import { fenToYuan } from './money';
import { decodeQr, ecTokenFor, issueQr } from './qrcode';
import type { Envelope, SettleInput } from './schemas';
import {
  cancelSchema, detailSchema, describeIssue, personInfoSchema, preSettleSchema, reversalSchema,
  settleSchemaFull, signInSchema, totalsSchema,
} from './schemas';
import { ageOn, cstYear, fmtCompact, fmtDate, fmtDateTime } from './time';
import type { z } from 'zod';

export class Refusal extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface PlatformOptions { db: Db; now: () => number; secret: string; qrTtlSeconds: number }

type Out = Record<string, unknown>;
const y = fenToYuan;

interface SettlementRow {
  seq: number; setl_id: string; mdtrt_id: string; msgid: string; psn_no: string; insutype: string;
  fixmedins_code: string; clr_optins: string; setl_time: string; year: number; medfee: number; inscp: number;
  fund: number; acct_pay: number; mulaid_pay: number; wlt_pay: number; cash: number; status: string;
  cancel_msgid: string | null; trace_codes: string;
}
interface MessageRow { msgid: string; infno: string; psn_no: string; state: string; setl_id: string | null; result: string | null }

function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new Refusal('INVALID_FIELD', describeIssue(r.error, 'input', input));
  return r.data;
}

export class Platform {
  constructor(private readonly o: PlatformOptions) {}

  private get db() {
    return this.o.db;
  }

  /** Dispatch one validated envelope. */
  handle(env: Envelope): Out {
    if (env.infno !== '9001') this.checkSignNo(env);
    switch (env.infno) {
      case '9001': return this.signIn(env);
      case '1101': return this.personInfo(env);
      case '2101': return this.settle(env, parseInput(preSettleSchema, env.input), false);
      case '2102': return this.settle(env, parseInput(settleSchemaFull, env.input), true);
      case '2103': return this.cancel(env);
      case '2601': return this.reverse(env);
      case '3201': return this.totals(env);
      case '3202': return this.detail(env);
      default: throw new Refusal('UNKNOWN_INFNO', `不支持的交易编号: ${env.infno}`);
    }
  }

  private checkSignNo(env: Envelope): void {
    if (!env.sign_no) throw new Refusal('SIGN_NO_REQUIRED', 'sign_no: required');
    const row = this.db.prepare('SELECT fixmedins_code FROM sign_ins WHERE sign_no = ?').get(env.sign_no) as
      | { fixmedins_code: string } | undefined;
    if (!row || row.fixmedins_code !== env.fixmedins_code) {
      throw new Refusal('SIGN_NO_INVALID', '签到编号无效，请重新签到');
    }
  }

  // ---- 9001 ----
  private signIn(env: Envelope): Out {
    parseInput(signInSchema, env.input);
    const now = this.o.now();
    const seq = (this.db.prepare('SELECT COUNT(*) AS n FROM sign_ins').get() as { n: number }).n + 1;
    const signNo = fmtCompact(now) + String(seq).padStart(6, '0');
    this.db.prepare('INSERT INTO sign_ins (sign_no, fixmedins_code, sign_time) VALUES (?, ?, ?)')
      .run(signNo, env.fixmedins_code, fmtDateTime(now));
    return { signinoutb: { sign_time: fmtDateTime(now), sign_no: signNo } };
  }

  // ---- credentials ----
  /** The person a credential belongs to (card_sn is checked when given). */
  private personByCredential(type: string, no: string, cardSn?: string): PersonRow {
    let psnNo: string | undefined;
    if (type === '01') {
      psnNo = (this.db.prepare('SELECT psn_no FROM ec_tokens WHERE token = ?').get(no) as { psn_no: string } | undefined)?.psn_no;
      if (!psnNo) throw new Refusal('CREDENTIAL_NOT_FOUND', '电子凭证令牌无效或已失效');
    } else if (type === '02') {
      psnNo = (this.db.prepare('SELECT psn_no FROM persons WHERE certno = ?').get(no) as { psn_no: string } | undefined)?.psn_no;
      if (!psnNo) throw new Refusal('PERSON_NOT_FOUND', '未查询到该证件号码的参保信息');
    } else {
      const card = this.db.prepare('SELECT psn_no, card_sn FROM cards WHERE card_no = ?').get(no) as
        | { psn_no: string; card_sn: string } | undefined;
      if (!card) throw new Refusal('CREDENTIAL_NOT_FOUND', '社保卡卡号不存在');
      if (cardSn !== undefined && card.card_sn !== cardSn) throw new Refusal('CREDENTIAL_MISMATCH', '社保卡卡号与卡识别码不匹配');
      psnNo = card.psn_no;
    }
    const person = getPerson(this.db, psnNo);
    if (!person) throw new Refusal('PERSON_NOT_FOUND', '未查询到参保人员信息');
    return person;
  }

  private checkInsuplc(env: Envelope, person: PersonRow, given?: string): void {
    for (const code of [env.insuplc_admdvs, given ?? '']) {
      if (code && code !== person.insuplc_admdvs) {
        throw new Refusal('INSUPLC_MISMATCH', `参保地${code}与参保信息(${person.insuplc_admdvs})不符`);
      }
    }
  }

  // ---- 1101 ----
  private personInfo(env: Envelope): Out {
    const { data } = parseInput(personInfoSchema, env.input);
    const p = this.personByCredential(data.mdtrt_cert_type, data.mdtrt_cert_no, data.card_sn);
    if (data.certno && data.certno !== p.certno) throw new Refusal('CREDENTIAL_MISMATCH', '证件号码与凭证持有人不符');
    if (data.psn_name && data.psn_name !== p.psn_name) throw new Refusal('CREDENTIAL_MISMATCH', '姓名与凭证持有人不符');
    this.checkInsuplc(env, p);
    const mulaid = giversOf(this.db, p.psn_no).reduce((a, g) => a + g.balance, 0);
    return {
      baseinfo: {
        psn_no: p.psn_no, psn_cert_type: '01', certno: p.certno, psn_name: p.psn_name, gend: p.gend,
        brdy: p.brdy, age: ageOn(p.brdy, this.o.now()),
      },
      insuinfo: [{
        balc: y(p.acct_balc), insutype: p.insutype, psn_type: p.psn_type, psn_insu_stas: p.psn_insu_stas,
        psn_insu_date: p.psn_insu_date, insuplc_admdvs: p.insuplc_admdvs, emp_name: p.emp_name, mulaid_balc: y(mulaid),
      }],
      idetinfo: [],
      wltinfo: { wlt_balc: y(p.wlt_balc), wlt_open_flag: p.wlt_open ? '1' : '0' },
    };
  }

  // ---- 2101 / 2102 ----
  private settle(env: Envelope, input: SettleInput, commit: boolean): Out {
    if (!commit) return this.quote(env, input).output;
    return this.db.transaction(() => {
      const prior = this.message(env.msgid);
      if (prior) return this.replay(prior, '2102');
      const q = this.quote(env, input);
      return this.commitSettlement(env, q.person, q.split, q.codes);
    })();
  }

  private message(msgid: string): MessageRow | undefined {
    return this.db.prepare('SELECT * FROM messages WHERE msgid = ?').get(msgid) as MessageRow | undefined;
  }

  /** A msgid seen before: the first result again, or a refusal if it was reversed or used otherwise. */
  private replay(prior: MessageRow, infno: string): Out {
    if (prior.state !== 'committed') throw new Refusal('MSG_REVERSED', '该报文已冲正，不能再次处理');
    if (prior.infno !== infno) throw new Refusal('MSGID_CONFLICT', `报文ID已用于交易${prior.infno}`);
    return JSON.parse(prior.result ?? '{}') as Out;
  }

  /** Checks every rule and computes the split; writes nothing. */
  private quote(env: Envelope, input: SettleInput) {
    const d = input.data;
    const person = getPerson(this.db, d.psn_no);
    if (!person) throw new Refusal('PERSON_NOT_FOUND', '未查询到参保人员信息');
    const holder = this.personByCredential(d.mdtrt_cert_type, d.mdtrt_cert_no);
    if (holder.psn_no !== person.psn_no) throw new Refusal('CREDENTIAL_MISMATCH', '就诊凭证不属于该参保人');
    this.checkStatus(person);
    if (d.insutype !== person.insutype) throw new Refusal('INSUTYPE_MISMATCH', '险种类型与参保信息不符');
    this.checkInsuplc(env, person, d.insuplc_admdvs);
    if (d.mdtrtarea_admvs && d.mdtrtarea_admvs !== env.mdtrtarea_admvs) {
      throw new Refusal('INVALID_FIELD', 'input.data.mdtrtarea_admvs: must equal the envelope mdtrtarea_admvs');
    }
    this.checkFiling(person, env.mdtrtarea_admvs);
    const region = getRegion(this.db, person.insuplc_admdvs);
    if (!region) throw new Refusal('REGION_UNKNOWN', `参保地${person.insuplc_admdvs}无待遇政策`);
    const { lines, codes } = this.checkLines(input);
    const now = this.o.now();
    const walletUsable = d.wlt_used_flag === '1' && region.wallet_enabled && person.wlt_open === 1
      && env.mdtrtarea_admvs === person.insuplc_admdvs;
    const split = computeSplit({
      lines, region, insutype: person.insutype, ytd: getYtd(this.db, person.psn_no, cstYear(now)),
      acctUsed: d.acct_used_flag === '1', ownBalance: person.insutype === '310' ? person.acct_balc : 0,
      givers: giversOf(this.db, person.psn_no), walletUsable, walletBalance: person.wlt_balc,
      walletLimit: d.wlt_pay_limit ?? null,
    });
    return { person, split, codes, output: { setlinfo: setlinfo(split, person) } };
  }

  private checkStatus(p: PersonRow): void {
    if (p.psn_insu_stas === '2') throw new Refusal('INSURANCE_SUSPENDED', '参保人医保待遇已暂停');
    if (p.psn_insu_stas !== '1') throw new Refusal('INSURANCE_TERMINATED', '参保人医保关系已终止');
  }

  /** Cross-province (first 2 digits differ) needs a filing covering the counter's region today. */
  private checkFiling(p: PersonRow, counter: string): void {
    if (p.insuplc_admdvs.slice(0, 2) === counter.slice(0, 2)) return;
    const today = fmtDate(this.o.now());
    const provinceLevel = `${counter.slice(0, 2)}0000`;
    const ok = this.db.prepare(`SELECT 1 FROM filings WHERE psn_no = ? AND mdtrtarea_admvs IN (?, ?)
      AND begndate <= ? AND enddate >= ?`).get(p.psn_no, counter, provinceLevel, today, today);
    if (!ok) throw new Refusal('NO_FILING', '异地就医未备案，不能直接结算');
  }

  /** Catalog class of each line, and its trace codes: known drug, right prefix, not sold yet. */
  private checkLines(input: SettleInput) {
    const drug = this.db.prepare('SELECT chrgitm_lv, trace_prefix FROM drugs WHERE med_list_codg = ?');
    const sold = this.db.prepare('SELECT 1 FROM sold_codes WHERE code = ?');
    const seen = new Set<string>();
    const lines = input.drugdetail.map((l) => {
      const row = drug.get(l.med_list_codg) as { chrgitm_lv: '01' | '02' | '03'; trace_prefix: string | null } | undefined;
      if (!row) throw new Refusal('CATALOG_NOT_FOUND', `医保目录中无此药品: ${l.med_list_codg}`);
      for (const code of l.codes) {
        if (row.trace_prefix && !code.startsWith(row.trace_prefix)) {
          throw new Refusal('TRACE_CODE_MISMATCH', `追溯码${code}与药品${l.med_list_codg}不符`);
        }
        if (seen.has(code)) throw new Refusal('TRACE_CODE_DUPLICATE', `追溯码${code}在本单中重复`);
        seen.add(code);
        if (sold.get(code)) throw new Refusal('TRACE_CODE_SOLD', `追溯码${code}已销售，不能重复结算`);
      }
      return { fen: l.det_item_fee_sumamt, lv: row.chrgitm_lv };
    });
    return { lines, codes: [...seen] };
  }

  private commitSettlement(env: Envelope, person: PersonRow, s: Split, codes: string[]): Out {
    const now = this.o.now();
    const seq = (this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'settlements'").get() as { seq: number } | undefined)?.seq ?? 0;
    const base = `${env.mdtrtarea_admvs}${fmtCompact(now).slice(0, 8)}${String(seq + 1).padStart(8, '0')}`;
    const setlId = `S${base}`;
    const mdtrtId = `M${base}`;
    const debits: [string, 'acct' | 'wallet', number][] = [
      [person.psn_no, 'acct', s.own_acct_pay],
      ...s.giverDebits.map((g): [string, 'acct', number] => [g.psn_no, 'acct', g.amount]),
      [person.psn_no, 'wallet', s.wlt_pay],
    ];
    const rec = this.db.prepare('INSERT INTO debits (setl_id, psn_no, kind, amount) VALUES (?, ?, ?, ?)');
    for (const [who, kind, amount] of debits) {
      if (amount === 0) continue;
      // Checked in the same transaction as the split: a short balance aborts everything.
      if (!debit(this.db, who, kind, amount)) throw new Refusal('BALANCE_SHORT', '账户余额不足');
      rec.run(setlId, who, kind, amount);
    }
    const soldIns = this.db.prepare('INSERT INTO sold_codes (code, setl_id) VALUES (?, ?)');
    for (const c of codes) soldIns.run(c, setlId);
    const year = cstYear(now);
    addYtd(this.db, person.psn_no, year, s.inscp_scp_amt, s.hifp_pay);
    const setlTime = fmtDateTime(now);
    this.db.prepare(`INSERT INTO settlements (setl_id, mdtrt_id, msgid, psn_no, insutype, fixmedins_code, clr_optins,
      setl_time, year, medfee, inscp, fund, acct_pay, mulaid_pay, wlt_pay, cash, status, trace_codes)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'live', ?)`).run(
      setlId, mdtrtId, env.msgid, person.psn_no, person.insutype, env.fixmedins_code, env.mdtrtarea_admvs,
      setlTime, year, s.medfee_sumamt, s.inscp_scp_amt, s.fund_pay_sumamt, s.acct_pay, s.acct_mulaid_pay,
      s.wlt_pay, s.psn_cash_pay, JSON.stringify(codes));
    const after = getPerson(this.db, person.psn_no) as PersonRow;
    const output = {
      setlinfo: { ...setlinfo(s, after, 0), setl_id: setlId, mdtrt_id: mdtrtId, setl_time: setlTime,
        psn_no: person.psn_no, insutype: person.insutype },
    };
    this.db.prepare("INSERT INTO messages (msgid, infno, psn_no, state, setl_id, result) VALUES (?, '2102', ?, 'committed', ?, ?)")
      .run(env.msgid, person.psn_no, setlId, JSON.stringify(output));
    return output;
  }

  // ---- undo / redo of a settlement's effects ----
  private settlement(setlId: string): SettlementRow | undefined {
    return this.db.prepare('SELECT * FROM settlements WHERE setl_id = ?').get(setlId) as SettlementRow | undefined;
  }

  private debitsOf(setlId: string) {
    return this.db.prepare('SELECT psn_no, kind, amount FROM debits WHERE setl_id = ?').all(setlId) as
      { psn_no: string; kind: 'acct' | 'wallet'; amount: number }[];
  }

  /** Give back exactly what the settlement took; free its trace codes; take it out of the year's totals. */
  private undoEffects(s: SettlementRow, status: 'cancelled' | 'reversed', cancelMsgid: string | null): void {
    for (const d of this.debitsOf(s.setl_id)) credit(this.db, d.psn_no, d.kind, d.amount);
    this.db.prepare('DELETE FROM sold_codes WHERE setl_id = ?').run(s.setl_id);
    addYtd(this.db, s.psn_no, s.year, -s.inscp, -s.fund);
    this.db.prepare('UPDATE settlements SET status = ?, cancel_msgid = ? WHERE setl_id = ?').run(status, cancelMsgid, s.setl_id);
  }

  /** Re-apply a cancelled settlement (reversal of its 2103); refused if money or codes are gone since. */
  private redoEffects(s: SettlementRow): void {
    for (const d of this.debitsOf(s.setl_id)) {
      if (!debit(this.db, d.psn_no, d.kind, d.amount)) throw new Refusal('REVERSAL_IMPOSSIBLE', '账户余额已不足，无法冲正该撤销交易');
    }
    const ins = this.db.prepare('INSERT OR IGNORE INTO sold_codes (code, setl_id) VALUES (?, ?)');
    for (const code of JSON.parse(s.trace_codes) as string[]) {
      if (ins.run(code, s.setl_id).changes !== 1) throw new Refusal('REVERSAL_IMPOSSIBLE', `追溯码${code}已再次销售，无法冲正该撤销交易`);
    }
    addYtd(this.db, s.psn_no, s.year, s.inscp, s.fund);
    this.db.prepare("UPDATE settlements SET status = 'live', cancel_msgid = NULL WHERE setl_id = ?").run(s.setl_id);
  }

  // ---- 2103 ----
  private cancel(env: Envelope): Out {
    const { data } = parseInput(cancelSchema, env.input);
    return this.db.transaction(() => {
      const prior = this.message(env.msgid);
      if (prior) return this.replay(prior, '2103');
      const s = this.settlement(data.setl_id);
      if (!s || s.fixmedins_code !== env.fixmedins_code || s.mdtrt_id !== data.mdtrt_id || s.psn_no !== data.psn_no) {
        throw new Refusal('SETL_NOT_FOUND', '未找到该结算记录');
      }
      if (s.status !== 'live') throw new Refusal('ALREADY_CANCELLED', '该结算已撤销或已冲正');
      this.undoEffects(s, 'cancelled', env.msgid);
      const output = {
        setlinfo: {
          setl_id: s.setl_id, mdtrt_id: s.mdtrt_id, psn_no: s.psn_no, medfee_sumamt: y(s.medfee),
          fund_pay_sumamt: y(s.fund), acct_pay: y(s.acct_pay), acct_mulaid_pay: y(s.mulaid_pay), wlt_pay: y(s.wlt_pay),
          psn_pay: y(s.acct_pay + s.wlt_pay + s.cash), cash_payamt: y(s.cash),
        },
      };
      this.db.prepare("INSERT INTO messages (msgid, infno, psn_no, state, setl_id, result) VALUES (?, '2103', ?, 'committed', ?, ?)")
        .run(env.msgid, s.psn_no, s.setl_id, JSON.stringify(output));
      return output;
    })();
  }

  // ---- 2601 ----
  private reverse(env: Envelope): Out {
    const { data } = parseInput(reversalSchema, env.input);
    return this.db.transaction(() => {
      const m = this.message(data.omsgid);
      if (!m) {
        // Nothing committed: block the msgid so a late arrival cannot commit.
        this.db.prepare("INSERT INTO messages (msgid, infno, psn_no, state) VALUES (?, ?, ?, 'blocked')")
          .run(data.omsgid, data.oinfno, data.psn_no);
        return { rvs_stas: '0' };
      }
      if (m.infno !== data.oinfno) throw new Refusal('REVERSAL_CONFLICT', `原报文的交易编号为${m.infno}，与oinfno不符`);
      if (m.psn_no !== data.psn_no) throw new Refusal('REVERSAL_CONFLICT', '原报文的人员编号与psn_no不符');
      if (m.state === 'blocked') return { rvs_stas: '0' };
      if (m.state === 'reversed') return { rvs_stas: '2' };
      const s = this.settlement(m.setl_id ?? '');
      if (!s) throw new Refusal('REVERSAL_CONFLICT', '原报文无对应结算记录');
      if (m.infno === '2102') this.reverseSettle(s);
      else this.reverseCancel(s, m.msgid);
      this.db.prepare("UPDATE messages SET state = 'reversed' WHERE msgid = ?").run(m.msgid);
      return { rvs_stas: '1' };
    })();
  }

  private reverseSettle(s: SettlementRow): void {
    if (s.status === 'live') this.undoEffects(s, 'reversed', null);
    // Already cancelled by a 2103: its effects are gone; the settlement is now reversed for good.
    else this.db.prepare("UPDATE settlements SET status = 'reversed' WHERE setl_id = ?").run(s.setl_id);
  }

  private reverseCancel(s: SettlementRow, msgid: string): void {
    if (s.status !== 'cancelled' || s.cancel_msgid !== msgid) {
      throw new Refusal('REVERSAL_CONFLICT', '原结算已冲正，不能冲正该撤销交易');
    }
    this.redoEffects(s);
  }

  // ---- 3201 / 3202 ----
  private liveInRange(env: Envelope, optins: string, begn: string, end: string, insutype?: string): SettlementRow[] {
    const rows = this.db.prepare(`SELECT * FROM settlements WHERE status = 'live' AND fixmedins_code = ? AND clr_optins = ?
      AND substr(setl_time, 1, 10) BETWEEN ? AND ? ORDER BY seq`).all(env.fixmedins_code, optins, begn, end) as SettlementRow[];
    return insutype ? rows.filter((r) => r.insutype === insutype) : rows;
  }

  private totals(env: Envelope): Out {
    const { data: d } = parseInput(totalsSchema, env.input);
    const rows = this.liveInRange(env, d.setl_optins, d.stmt_begndate, d.stmt_enddate, d.insutype);
    const sum = (f: (r: SettlementRow) => number) => rows.reduce((a, r) => a + f(r), 0);
    const mine = { medfee: sum((r) => r.medfee), fund: sum((r) => r.fund), acct: sum((r) => r.acct_pay), cnt: rows.length };
    const diffs: string[] = [];
    if (mine.medfee !== d.medfee_sumamt) diffs.push(`医疗费总额 平台${y(mine.medfee)} 机构${y(d.medfee_sumamt)}`);
    if (mine.fund !== d.fund_pay_sumamt) diffs.push(`基金支付 平台${y(mine.fund)} 机构${y(d.fund_pay_sumamt)}`);
    if (mine.acct !== d.acct_pay) diffs.push(`个人账户支付 平台${y(mine.acct)} 机构${y(d.acct_pay)}`);
    if (mine.cnt !== d.fixmedins_setl_cnt) diffs.push(`结算笔数 平台${mine.cnt} 机构${d.fixmedins_setl_cnt}`);
    return {
      stmt_totlrslt: {
        setl_optins: d.setl_optins, stmt_rslt: diffs.length ? '1' : '0',
        stmt_rslt_dscr: diffs.length ? `对账不平: ${diffs.join('; ')}` : '对账平衡',
        medfee_sumamt: y(mine.medfee), fund_pay_sumamt: y(mine.fund), acct_pay: y(mine.acct), fixmedins_setl_cnt: mine.cnt,
      },
    };
  }

  private detail(env: Envelope): Out {
    const input = parseInput(detailSchema, env.input);
    const d = input.data;
    const sent = new Set<string>();
    const result: Out[] = [];
    for (const row of input.detail) {
      sent.add(row.setl_id);
      const s = this.settlement(row.setl_id);
      const mine = s && s.fixmedins_code === env.fixmedins_code ? s : undefined;
      if (row.refd_setl_flag === '1') {
        // The terminal says it was cancelled: agreement when the platform has no live settlement.
        if (mine && mine.status !== 'live') result.push(platformRow(mine.msgid, mine, '0'));
        else if (mine) result.push(platformRow(mine.msgid, mine, '3'));
        else result.push(terminalRow(row));
        continue;
      }
      if (!mine || mine.status !== 'live') {
        result.push(terminalRow(row));
        continue;
      }
      const same = mine.medfee === row.medfee_sumamt && mine.fund === row.fund_pay_sumamt && mine.acct_pay === row.acct_pay;
      result.push(platformRow(mine.msgid, mine, same ? '0' : '3'));
    }
    for (const s of this.liveInRange(env, d.setl_optins, d.stmt_begndate, d.stmt_enddate)) {
      if (!sent.has(s.setl_id)) result.push(platformRow(s.msgid, s, '1'));
    }
    return { result };
  }

  // ---- 医保码 and admin helpers ----
  issueQrCode(psnNoOrLabel: string): { qrCode: string; psn_no: string; expires_at: string } | undefined {
    const p = this.db.prepare('SELECT * FROM persons WHERE psn_no = ? OR label = ?').get(psnNoOrLabel, psnNoOrLabel) as PersonRow | undefined;
    if (!p) return undefined;
    const now = this.o.now();
    return { qrCode: issueQr(this.o.secret, p.id, now), psn_no: p.psn_no, expires_at: fmtDateTime(now + this.o.qrTtlSeconds * 1000) };
  }

  /** The local gateway's ec.query: payload -> ecToken and identity. */
  queryQrCode(payload: string): { code: number; message: string; data?: Out } {
    const r = decodeQr(this.o.secret, payload, this.o.now(), this.o.qrTtlSeconds);
    if (!r.ok) return { code: r.code, message: r.message };
    const p = getPersonById(this.db, r.personId);
    if (!p) return { code: 1004, message: '未知的医保码' };
    const token = ecTokenFor(this.o.secret, payload);
    this.db.prepare('INSERT OR IGNORE INTO ec_tokens (token, psn_no, issued_ms) VALUES (?, ?, ?)').run(token, p.psn_no, this.o.now());
    return { code: 0, message: '成功', data: { ecToken: token, idNo: p.certno, userName: p.psn_name, insuOrg: p.insuplc_admdvs } };
  }

  listPersons(): Out[] {
    const rows = this.db.prepare('SELECT * FROM persons ORDER BY id').all() as PersonRow[];
    return rows.map((p) => ({
      psn_no: p.psn_no, label: p.label, psn_name: p.psn_name, certno: p.certno, insutype: p.insutype,
      psn_type: p.psn_type, psn_insu_stas: p.psn_insu_stas, insuplc_admdvs: p.insuplc_admdvs,
      cards: this.db.prepare('SELECT card_no, card_sn FROM cards WHERE psn_no = ?').all(p.psn_no),
    }));
  }

  personDetail(psnNoOrLabel: string): Out | undefined {
    const p = this.db.prepare('SELECT * FROM persons WHERE psn_no = ? OR label = ?').get(psnNoOrLabel, psnNoOrLabel) as PersonRow | undefined;
    if (!p) return undefined;
    const year = cstYear(this.o.now());
    const ytd = getYtd(this.db, p.psn_no, year);
    const givers = giversOf(this.db, p.psn_no);
    const receivers = this.db.prepare('SELECT receiver AS psn_no, relation FROM bindings WHERE giver = ? ORDER BY seq').all(p.psn_no);
    return {
      ...p, id: undefined, acct_balc_fen: p.acct_balc, wlt_balc_fen: p.wlt_balc,
      acct: y(p.acct_balc), wallet: { open: p.wlt_open === 1, balance: y(p.wlt_balc) },
      ytd: { year, inscp: y(ytd.inscp), hifp: y(ytd.hifp), inscp_fen: ytd.inscp, hifp_fen: ytd.hifp },
      givers: givers.map((g) => ({ psn_no: g.psn_no, relation: g.relation, balance: y(g.balance) })),
      receivers,
      cards: this.db.prepare('SELECT card_no, card_sn FROM cards WHERE psn_no = ?').all(p.psn_no),
      filings: this.db.prepare('SELECT mdtrtarea_admvs, begndate, enddate FROM filings WHERE psn_no = ?').all(p.psn_no),
    };
  }
}

/** setlinfo for 2101/2102. `pending` = 1 when the debits are not applied to `p` yet (2101: balances as they would be). */
function setlinfo(s: Split, p: PersonRow, pending = 1): Out {
  const own = p.insutype === '310' ? p.acct_balc : 0;
  return {
    medfee_sumamt: y(s.medfee_sumamt), fulamt_ownpay_amt: y(s.fulamt_ownpay_amt), overlmt_selfpay: y(s.overlmt_selfpay),
    preselfpay_amt: y(s.preselfpay_amt), inscp_scp_amt: y(s.inscp_scp_amt), hifp_pay: y(s.hifp_pay),
    fund_pay_sumamt: y(s.fund_pay_sumamt), psn_part_amt: y(s.psn_part_amt), acct_pay: y(s.acct_pay),
    acct_mulaid_pay: y(s.acct_mulaid_pay), psn_cash_pay: y(s.psn_cash_pay),
    balc: y(own - pending * s.own_acct_pay), wlt_pay: y(s.wlt_pay), wlt_balc: y(p.wlt_balc - pending * s.wlt_pay),
  };
}

function platformRow(msgid: string, s: SettlementRow, stmt: string): Out {
  return {
    msgid, setl_id: s.setl_id, mdtrt_id: s.mdtrt_id, psn_no: s.psn_no, medfee_sumamt: y(s.medfee),
    fund_pay_sumamt: y(s.fund), acct_pay: y(s.acct_pay), acct_mulaid_pay: y(s.mulaid_pay), wlt_pay: y(s.wlt_pay),
    psn_cash_pay: y(s.cash), setl_time: s.setl_time, stmt_rslt: stmt,
  };
}

/** A row the platform has no live settlement for: echo the terminal's figures. */
function terminalRow(row: { setl_id: string; mdtrt_id: string; psn_no: string; medfee_sumamt: number; fund_pay_sumamt: number; acct_pay: number }): Out {
  return {
    msgid: '', setl_id: row.setl_id, mdtrt_id: row.mdtrt_id, psn_no: row.psn_no, medfee_sumamt: y(row.medfee_sumamt),
    fund_pay_sumamt: y(row.fund_pay_sumamt), acct_pay: y(row.acct_pay), acct_mulaid_pay: '0.00', wlt_pay: '0.00',
    psn_cash_pay: '0.00', setl_time: '', stmt_rslt: '2',
  };
}
