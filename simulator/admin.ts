// Admin and 医保码 helpers behind /sim/ and the ec.query endpoint: not part of the national interface.
import { fenToYuan as y } from './money';
import { decodeQr, ecTokenFor, issueQr } from './qrcode';
import { directGivers } from './tx/payers';
import { Refusal, type Out, type TxContext } from './tx/context';
import { cstYear, fmtDateTime } from './time';

export function issueQrCode(ctx: TxContext, key: string): { qrCode: string; psn_no: string; expires_at: string } | undefined {
  const p = ctx.people.personByNoOrLabel(key);
  if (!p) return undefined;
  const now = ctx.now();
  return { qrCode: issueQr(ctx.secret, p.id, now), psn_no: p.psn_no, expires_at: fmtDateTime(now + ctx.qrTtlSeconds * 1000) };
}

/** The local gateway's ec.query: payload -> ecToken and identity. */
export function queryQrCode(ctx: TxContext, payload: string): { code: number; message: string; data?: Out } {
  const r = decodeQr(ctx.secret, payload, ctx.now(), ctx.qrTtlSeconds);
  if (!r.ok) return { code: r.code, message: r.message };
  const p = ctx.people.personById(r.personId);
  if (!p) return { code: 1004, message: '未知的医保码' };
  const token = ecTokenFor(ctx.secret, payload);
  ctx.people.saveToken(token, p.psn_no, ctx.now());
  return { code: 0, message: '成功', data: { ecToken: token, idNo: p.certno, idType: '01', userName: p.psn_name, insuOrg: p.insuplc_admdvs } };
}

export function listPersons(ctx: TxContext): Out[] {
  return ctx.people.allPersons().map((p) => ({
    psn_no: p.psn_no, label: p.label, psn_name: p.psn_name, certno: p.certno, insutype: p.insutype,
    psn_type: p.psn_type, psn_insu_stas: p.psn_insu_stas, insuplc_admdvs: p.insuplc_admdvs, cards: ctx.people.cardsOf(p.psn_no),
  }));
}

export function personDetail(ctx: TxContext, key: string): Out | undefined {
  const p = ctx.people.personByNoOrLabel(key);
  if (!p) return undefined;
  const year = cstYear(ctx.now());
  const ytd = ctx.people.ytd(p.psn_no, year);
  const { supplementary, ...row } = p;
  return {
    ...row, id: undefined, supplementary: JSON.parse(supplementary) as string[], acct_balc_fen: p.acct_balc, wlt_balc_fen: p.wlt_balc,
    acct: y(p.acct_balc), wallet: { open: p.wlt_open === 1, balance: y(p.wlt_balc) },
    ytd: { year, inscp: y(ytd.inscp), hifp: y(ytd.hifp), inscp_fen: ytd.inscp, hifp_fen: ytd.hifp },
    givers: ctx.people.giversOf(p.psn_no).map((g) => ({ psn_no: g.psn_no, relation: g.relation, balance: y(g.balance), insuplc_admdvs: g.insuplc_admdvs })),
    direct_givers: directGivers(ctx, p).map((g) => g.psn_no),
    receivers: ctx.people.receiversOf(p.psn_no),
    cards: ctx.people.cardsOf(p.psn_no),
    filings: ctx.people.filingsOf(p.psn_no),
  };
}

/**
 * A giver moves money from his account into a bound relative's wallet (what the patient does on his
 * phone). This is how family mutual aid crosses pooled regions and provinces.
 */
export function walletTransfer(ctx: TxContext, from: string, to: string, fen: number): Out {
  return ctx.db.transaction(() => {
    const giver = ctx.people.personByNoOrLabel(from);
    const receiver = ctx.people.personByNoOrLabel(to);
    if (!giver || !receiver) throw new Refusal('PERSON_NOT_FOUND', '未查询到参保人员信息');
    if (!ctx.people.isBound(giver.psn_no, receiver.psn_no)) throw new Refusal('NOT_BOUND', '未绑定家庭共济关系');
    if (receiver.wlt_open !== 1) throw new Refusal('WALLET_CLOSED', '收款人未开通医保钱包');
    if (!Number.isSafeInteger(fen) || fen <= 0) throw new Refusal('INVALID_FIELD', 'fen: must be a positive integer');
    if (!ctx.people.debit(giver.psn_no, 'acct', fen)) throw new Refusal('BALANCE_SHORT', '账户余额不足');
    ctx.people.credit(receiver.psn_no, 'wallet', fen);
    return { from: giver.psn_no, to: receiver.psn_no, amount: y(fen) };
  })();
}

/** The diagnosis catalog (ICD-10 医保版) the desk searches; chronic and special open 门诊慢特病. */
export function listDiagnoses(ctx: TxContext): Out[] {
  return ctx.visits.allDiagnoses().map((d) => ({ code: d.code, name: d.name, kind: d.kind, chronic: d.kind !== 'ordinary' }));
}

/**
 * What 2204 accepts: service items (with their price ceiling; selfpay_prop null = the insured region's
 * outpatient 乙类 share) and the drugs (西药费 09, no ceiling).
 */
export function listItems(ctx: TxContext): Out[] {
  const items = ctx.visits.allItems().map((t) => ({
    med_list_codg: t.med_list_codg, name: t.name, kind: 'service', med_chrgitm_type: t.med_chrgitm_type, chrgitm_lv: t.chrgitm_lv,
    selfpay_prop: t.chrgitm_lv === '03' ? 1 : t.chrgitm_lv === '01' ? 0 : t.selfpay_prop_bp === null ? null : t.selfpay_prop_bp / 10000,
    pric_uplmt_amt: t.pric_uplmt_fen === null ? null : y(t.pric_uplmt_fen),
  }));
  const drugs = ctx.visits.allDrugs().map((d) => ({
    med_list_codg: d.med_list_codg, name: d.name, kind: 'drug', med_chrgitm_type: '09', chrgitm_lv: d.chrgitm_lv,
    selfpay_prop: d.chrgitm_lv === '03' ? 1 : d.chrgitm_lv === '01' ? 0 : null, pric_uplmt_amt: null,
  }));
  return [...items, ...drugs];
}

/** A visit as the platform holds it: registration, 2203 info, fee details and its settlements. */
export function visitDetail(ctx: TxContext, mdtrtId: string): Out | undefined {
  const v = ctx.visits.visit(mdtrtId);
  if (!v) return undefined;
  return {
    mdtrt_id: v.mdtrt_id, psn_no: v.psn_no, fixmedins_code: v.fixmedins_code, ipt_otp_no: v.ipt_otp_no, status: v.status,
    med_type: v.med_type, dise_codg: v.dise_codg, chronic_code: v.chronic_code,
    details: ctx.visits.details(mdtrtId).map((d) => ({
      feedetl_sn: d.feedetl_sn, chrg_bchno: d.chrg_bchno, med_list_codg: d.med_list_codg, amount: y(d.fen), setl_id: d.setl_id,
    })),
    settlements: ctx.visits.settlementsOf(mdtrtId).map((s) => ({ ...s, medfee: y(s.medfee) })),
  };
}
