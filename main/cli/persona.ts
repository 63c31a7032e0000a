/**
 * Demo convenience for the built-in simulator only: a persona's label (employee, retiree, resident...)
 * becomes a fresh 医保码 payload, as the patient's phone would show it. Uses the simulator's documented
 * admin endpoints over HTTP; a real platform has none, and the command says so.
 */
import { z } from 'zod';
import { describeZodError, InputError } from '../validation';

const personsSchema = z.object({
  persons: z.array(
    z.object({
      psn_no: z.string(),
      label: z.string().nullable().optional(),
      psn_name: z.string(),
      certno: z.string(),
      insutype: z.string(),
      insuplc_admdvs: z.string(),
      cards: z.array(z.object({ card_no: z.string(), card_sn: z.string() })),
    }),
  ),
});
export type SimPersona = z.output<typeof personsSchema>['persons'][number];

export async function listPersonas(platformUrl: string): Promise<SimPersona[]> {
  let response: Response;
  try {
    response = await fetch(`${platformUrl}/sim/persons`);
  } catch {
    throw new InputError(`--persona: ${platformUrl} 不可达`);
  }
  if (!response.ok) throw new InputError('--persona: 只能用于内置模拟平台 (该平台没有 /sim/persons)');
  const parsed = personsSchema.safeParse(await response.json());
  if (!parsed.success) throw new InputError(`--persona: 模拟平台应答格式错误: ${describeZodError(parsed.error)}`);
  return parsed.data.persons;
}

export async function findPersona(platformUrl: string, label: string): Promise<SimPersona> {
  const persons = await listPersonas(platformUrl);
  const found = persons.find((p) => p.label === label || p.psn_no === label);
  if (!found) {
    const labels = persons.map((p) => p.label).filter(Boolean).join(', ');
    throw new InputError(`--persona: 没有 "${label}" (可用: ${labels})`);
  }
  return found;
}

export async function personaQrCode(platformUrl: string, psnNo: string): Promise<string> {
  const response = await fetch(`${platformUrl}/sim/qrcode`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ psn_no: psnNo }),
  });
  const body = z.object({ qrCode: z.string() }).safeParse(await response.json());
  if (!response.ok || !body.success) throw new InputError(`--persona: 模拟平台未能生成医保码 (${psnNo})`);
  return body.data.qrCode;
}
