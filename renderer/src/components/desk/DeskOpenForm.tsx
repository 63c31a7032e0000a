import { useEffect, useRef, useState } from 'react';
import type { Args, Result } from '../../../../main/api/contract';

type Info = Result<'deskInfo'>;
export type OpenArgs = Args<'deskOpen'>;

/**
 * The start of a visit: the patient's 医保码 (scanned into the field, or on any scanner), 社保卡 (the card
 * reader, with the department and doctor chosen here: told upward by onChoice) or ID number, the department and
 * doctor (2201 挂号), or an existing 就诊ID to take. Enter opens it. In the demo a persona may stand in.
 */
export function DeskOpenForm({ info, demo, personas, onOpen, onChoice, devicesReady }: {
  info: Info;
  devicesReady: boolean;
  demo: boolean;
  personas: string[];
  onOpen(args: OpenArgs): void;
  onChoice(form: { deptCode: string; doctorCode: string } | null): void;
}) {
  const [patient, setPatient] = useState('');
  const [persona, setPersona] = useState('');
  const [dept, setDept] = useState(info.departments[0]?.code ?? '');
  const doctors = info.doctors.filter((d) => d.dept === dept);
  const [doctor, setDoctor] = useState(doctors[0]?.code ?? '');
  const [mdtrtId, setMdtrtId] = useState('');
  const [idChecked, setIdChecked] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  useEffect(() => setDoctor(info.doctors.find((d) => d.dept === dept)?.code ?? ''), [dept, info.doctors]);
  useEffect(() => onChoice(dept && doctor ? { deptCode: dept, doctorCode: doctor } : null), [dept, doctor, onChoice]);

  const submit = () => {
    const text = patient.trim();
    const who: OpenArgs['patient'] | null = persona
      ? { kind: 'persona', label: persona }
      : /^\d{17}[\dXx]$/.test(text)
        ? { kind: 'idno', certno: text, idChecked }
        : text
          ? { kind: 'qr', payload: text }
          : null;
    if (!who) return;
    onOpen({ patient: who, deptCode: dept, doctorCode: doctor, ...(mdtrtId.trim() ? { mdtrtId: mdtrtId.trim() } : {}) });
  };
  const keys = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') (e.preventDefault(), submit());
  };
  return (
    <section className="panel desk-open" data-testid="desk-open" aria-label="挂号">
      <div className="big">请读社保卡、扫医保码 或 输入身份证号</div>
      <label>
        患者
        <input ref={ref} value={patient} data-testid="desk-patient" placeholder="医保码 / 身份证号" onChange={(e) => setPatient(e.target.value)} onKeyDown={keys} />
      </label>
      <label>
        凭身份证号时: 已核验患者本人身份证件
        <input type="checkbox" checked={idChecked} data-testid="desk-id-checked" onChange={(e) => setIdChecked(e.target.checked)} onKeyDown={keys} />
      </label>
      {demo && (
        <label>
          示例参保人 (演示)
          <select value={persona} data-testid="desk-persona" onChange={(e) => setPersona(e.target.value)} onKeyDown={keys}>
            <option value="">(不用)</option>
            {personas.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        科室
        <select value={dept} data-testid="desk-dept" onChange={(e) => setDept(e.target.value)} onKeyDown={keys}>
          {info.departments.map((d) => (
            <option key={d.code} value={d.code}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        医生
        <select value={doctor} data-testid="desk-doctor" onChange={(e) => setDoctor(e.target.value)} onKeyDown={keys}>
          {doctors.map((d) => (
            <option key={d.code} value={d.code}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        已有就诊ID (可空)
        <input value={mdtrtId} data-testid="desk-mdtrt" onChange={(e) => setMdtrtId(e.target.value)} onKeyDown={keys} />
      </label>
      <div className="muted">Enter 挂号 (2201); 填就诊ID 则沿用该就诊 (只能是本人的)</div>
      {devicesReady && (
        <div className="muted" data-testid="desk-devices-ready">
          读卡器、扫码枪已接到本收费处: 读卡或扫码即按上面的科室、医生挂号
        </div>
      )}
    </section>
  );
}
