/**
 * Identification at the counter: the credential from a card, a 医保码 (ec.query) or an ID number, the
 * person from the platform (1101), checked to be the credential's own and insured; then a sale opened
 * for him. The identity is cached (persons) for offline selling.
 */
import type { CardRecord } from '../../devices/types';
import { maskCertno, maskName } from '../../devices/mask';
import type { Db } from '../../db/connection';
import { MutualAidRepo } from '../../db/mutual-aid-repo';
import { PersonsRepo, type PersonRow } from '../../db/persons-repo';
import type { SaleRecords } from '../ledger/sale-record';
import type { PlatformClient } from '../platform/client';
import type { Credential, PersonInfo } from '../platform/domain';
import { infTime } from '../platform/time';
import { SaleError } from '../settlement/sale-error';
import { platformCall, type PlatformWatch } from './platform-call';
import { PSN_INSU_STAS } from '../platform/codes';

export type IdentifySource =
  | { kind: 'card'; record: Pick<CardRecord, 'cardNo' | 'cardSn' | 'certno' | 'name'> & Partial<Pick<CardRecord, 'issuerAdmdvs'>> }
  | { kind: 'qr'; payload: string }
  /**
   * A bare ID number (mdtrt_cert_type 02): only where the province profile allows it, and only when the
   * cashier confirms having checked the patient's own ID document (recorded in the audit trail).
   */
  | { kind: 'idno'; certno: string; psnName?: string; idDocumentChecked?: boolean };

export class Identification {
  private readonly persons: PersonsRepo;
  private readonly mutualAid: MutualAidRepo;

  constructor(
    db: Db,
    private readonly platform: PlatformClient,
    private readonly records: SaleRecords,
    private readonly watch: PlatformWatch | undefined,
  ) {
    this.persons = new PersonsRepo(db);
    this.mutualAid = new MutualAidRepo(db);
  }

  /** Identifies the patient online and opens a draft sale for him; returns its id. */
  async begin(source: IdentifySource): Promise<number> {
    const { person, credential } = await this.identify(source);
    const at = this.records.stamp();
    const id = this.records.sales.create({
      created_at: at,
      state: 'draft',
      psn_no: person.psnNo,
      psn_name: person.psnName,
      certno: person.certno,
      insutype: person.insutype,
      insuplc_admdvs: person.insuplcAdmdvs,
      mdtrt_cert_type: credential.mdtrtCertType,
      mdtrt_cert_no: credential.mdtrtCertNo,
      card_sn: credential.cardSn ?? '',
      begntime: infTime(this.records.now()),
    });
    this.records.audit.append(at, 'sale.begin', `psn ${maskName(person.psnName)} cert ${credential.mdtrtCertType}`, id);
    return id;
  }

  async identify(source: IdentifySource): Promise<{ person: PersonInfo; credential: Credential }> {
    const credential = await this.credentialFor(source);
    const person = await platformCall(this.watch, () => this.platform.getPerson(credential));
    // Rule 1: the credential is the patient's own. The platform checks too; we refuse before selling.
    // The card's, the typed, or the 医保码's decoded ID number against 1101's certno.
    const expected = credential.certno ?? null;
    if (expected && expected.toUpperCase() !== person.certno.toUpperCase()) {
      throw new SaleError('CREDENTIAL_MISMATCH', '证件与参保人不符: 只能使用患者本人的社保卡或医保码');
    }
    if (person.insuStas && person.insuStas !== '1') {
      const stas = PSN_INSU_STAS[person.insuStas] ?? `${person.insuStas} 未知`;
      throw new SaleError('NOT_INSURED', `参保状态: ${stas}, 不能医保结算: 请患者全自费购药, 或到医保经办机构核实参保状态`);
    }
    this.cache(person);
    return { person, credential };
  }

  /** The identity and, when the platform named them, the mutual-aid givers: what offline selling needs. */
  private cache(person: PersonInfo): void {
    const seenAt = this.records.stamp();
    this.records.sales.transaction(() => {
      this.persons.upsert(personRow(person, seenAt));
      if (person.mulaidGivers) this.mutualAid.replaceGivers(person.psnNo, person.mulaidGivers, seenAt);
    });
  }

  /**
   * Rule 1 of domain.md, the card is not shared: anyone can type anyone's ID number. So a bare ID number is
   * refused unless the profile allows it, and then needs the cashier's word that the patient's own ID
   * document was checked; that word goes into the (hash-chained) audit trail before the platform is asked.
   */
  private bareIdAllowed(source: Extract<IdentifySource, { kind: 'idno' }>): string {
    if (!this.platform.profile.bareIdMaySettle) {
      throw new SaleError('BARE_ID_REFUSED', '本省不允许凭身份证号识别或结算: 请刷患者本人的社保卡或扫医保码');
    }
    if (!/^\d{17}[\dXx]$/.test(source.certno)) throw new SaleError('BAD_CERTNO', '身份证号格式不对: 应为 18 位');
    if (source.idDocumentChecked !== true) {
      throw new SaleError('ID_NOT_CHECKED', '凭身份证号识别前须核验患者本人的身份证件 (人证一致), 并确认已核验');
    }
    const certno = source.certno.toUpperCase();
    this.records.audit.append(this.records.stamp(), 'identity.id_checked', `cert 02 ${maskCertno(certno)}: 收银员确认已核验本人身份证件`);
    return certno;
  }

  private async credentialFor(source: IdentifySource): Promise<Credential> {
    switch (source.kind) {
      case 'card':
        return {
          mdtrtCertType: '03',
          mdtrtCertNo: source.record.cardNo,
          cardSn: source.record.cardSn,
          certno: source.record.certno,
          psnName: source.record.name,
          // The card's 发卡地区: an out-of-region patient is looked up where he is insured.
          ...(source.record.issuerAdmdvs ? { insuplcAdmdvs: source.record.issuerAdmdvs } : {}),
        };
      case 'idno': {
        const certno = this.bareIdAllowed(source);
        // A patient seen before (a cross-province filing among them) is asked for at his insured place.
        const known = this.persons.byCertno(certno)?.insuplc_admdvs;
        return { mdtrtCertType: '02', mdtrtCertNo: certno, certno, psnName: source.psnName, ...(known ? { insuplcAdmdvs: known } : {}) };
      }
      case 'qr': {
        const qr = await platformCall(this.watch, () => this.platform.queryQrCode(source.payload));
        return { mdtrtCertType: '01', mdtrtCertNo: qr.ecToken, certno: qr.idNo, psnName: qr.userName, insuplcAdmdvs: qr.insuOrg };
      }
    }
  }
}

function personRow(p: PersonInfo, seenAt: string): PersonRow {
  return {
    psn_no: p.psnNo,
    certno: p.certno,
    psn_name: p.psnName,
    gend: p.gend,
    brdy: p.brdy,
    age: p.age,
    insutype: p.insutype,
    psn_type: p.psnType,
    insu_stas: p.insuStas,
    insuplc_admdvs: p.insuplcAdmdvs,
    emp_name: p.empName,
    own_acct_fen: p.ownAcctFen,
    mulaid_fen: p.mulaidFen,
    wallet_fen: p.walletFen,
    wallet_open: p.walletOpen ? 1 : 0,
    seen_at: seenAt,
  };
}
