/**
 * 全自费 from a HIS export with no platform call at all (the command line's `outpatient settle --self-pay`,
 * as the desk screen's F12 does for an open visit): the patient is not identified, nothing is registered or
 * uploaded, the whole bill is the patient's cash. The visit is written in one transaction, already
 * `self_paid`, with its items (never uploaded) and the operator signed in, so it lists, shows and prints
 * like any other visit.
 */
import type { PlatformClient } from '../platform/client';
import { infTime } from '../platform/time';
import type { HisVisit } from './his-export';
import type { FeeInput } from './fee-input';
import { newFee } from './visit-bill';
import type { VisitRecords } from './visit-records';

export function createSelfPaidVisit(records: VisitRecords, platform: Pick<PlatformClient, 'operator'>, visit: HisVisit | null, items: FeeInput[]): number {
  const operator = platform.operator;
  return records.visits.transaction(() => {
    const id = records.visits.create({
      created_at: records.stamp(), state: 'self_paid', psn_no: '', psn_name: '', certno: '', insutype: '', insuplc_admdvs: '',
      mdtrt_cert_type: '', mdtrt_cert_no: '', card_sn: '', ipt_otp_no: visit?.iptOtpNo ?? '', mdtrt_id: '', registered_here: 0,
      dept_code: visit?.dept.code ?? '', dept_name: visit?.dept.name ?? '', caty: visit?.dept.caty ?? '',
      doctor_code: visit?.doctor.code ?? '', doctor_name: visit?.doctor.name ?? '', begntime: infTime(records.now()),
      opter: operator?.code ?? null, opter_name: operator?.name ?? null, register_msgid: null,
    });
    if (visit && visit.diagnoses.length > 0) {
      records.visits.transition(id, 'self_paid', 'self_paid', records.stamp(), { med_type: visit.medType, diagnosis_json: JSON.stringify(visit.diagnoses) });
    }
    records.visits.addPendingFees(items.map((item, i) => newFee(id, `F${i + 1}`, item)), null);
    records.note(id, 'visit.self_paid', `whole bill as 全自费, ${items.length} 项, no platform call`);
    return id;
  });
}
