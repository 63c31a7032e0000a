/**
 * 2203 门诊就诊信息上传 (reference §2.11): input `mdtrtinfo` (object) + `diseinfo[]`, no output.
 * The first diagnosis is the main one; a 14 门诊慢特病 visit names its chronic disease as the 病种.
 */
import type { DiagnosisRequest } from '../outpatient-domain';

/** diag_type 1 西医诊断 (the desk keys ICD-10 codes); vali_flag 1 有效. */
const WESTERN_DIAGNOSIS = '1';

export function diagnosisInput(r: DiagnosisRequest) {
  const main = r.diagnoses[0];
  const mdtrtinfo: Record<string, unknown> = {
    mdtrt_id: r.mdtrtId,
    psn_no: r.psnNo,
    med_type: r.medType,
    begntime: r.begntime,
    main_cond_dscr: main?.name ?? '',
  };
  if (r.medType === '14' && main) {
    mdtrtinfo.dise_codg = main.code;
    mdtrtinfo.dise_name = main.name;
  }
  const diseinfo = r.diagnoses.map((d, i) => ({
    diag_type: WESTERN_DIAGNOSIS,
    diag_srt_no: i + 1,
    diag_code: d.code,
    diag_name: d.name,
    diag_dept: r.dept.name,
    dise_dor_no: r.doctor.code,
    dise_dor_name: r.doctor.name,
    diag_time: r.diagTime,
    vali_flag: '1',
  }));
  return { mdtrtinfo, diseinfo };
}
